#!/bin/bash
# gunicorn.conf.py already says 127.0.0.1:8080, but GUNICORN_CMD_ARGS from the unit's
# EnvironmentFile wins over the config file and still binds the old unix socket.
ss -ltnp | grep 8080 || echo "nothing on 8080"
ss -lxp | grep inventory
systemctl cat inventory | grep EnvironmentFile
sed -i 's|^GUNICORN_CMD_ARGS=.*|GUNICORN_CMD_ARGS="--forwarded-allow-ips=127.0.0.1"|' /etc/default/inventory
systemctl restart inventory
sleep 2
curl -s http://127.0.0.1:8080/health
