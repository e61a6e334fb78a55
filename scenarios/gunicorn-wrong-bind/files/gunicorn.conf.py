# gunicorn settings for the inventory API
#
# INV-88 (2024-05-21): nginx in front of inventory is gone; the new health-check and
# metrics sidecar talks to gunicorn directly on TCP, so we listen on loopback port 8080
# instead of the old unix socket /run/inventory/gunicorn.sock.
bind = ["127.0.0.1:8080"]

workers = 2
worker_class = "sync"
timeout = 30
accesslog = "-"
errorlog = "-"
proc_name = "inventory"
