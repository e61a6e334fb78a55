#!/bin/bash
# A fresh instance id for this session: the API reports it, so only the real
# inventory service can produce it on 127.0.0.1:8080.
set -u
install -d -m 700 /root/.breakfix
id=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
echo "$id" > /etc/inventory/instance-id && chmod 644 /etc/inventory/instance-id
echo "$id" > /root/.breakfix/inventory-instance && chmod 600 /root/.breakfix/inventory-instance
systemctl restart inventory
for _ in $(seq 1 50); do [ -S /run/inventory/gunicorn.sock ] && break; sleep 0.1; done
exit 0
