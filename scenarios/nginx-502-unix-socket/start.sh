#!/bin/bash
# A fresh instance id for this session: the API reports it in /api/health, so
# only the real API can produce it through nginx.
set -u
id=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
echo "$id" > /etc/orders-api/instance-id
chown root:app /etc/orders-api/instance-id && chmod 640 /etc/orders-api/instance-id
install -d -m 700 /root/.breakfix
echo "$id" > /root/.breakfix/orders-instance && chmod 600 /root/.breakfix/orders-instance
systemctl restart orders-api
for _ in $(seq 1 50); do [ -S /run/orders-api/api.sock ] && break; sleep 0.1; done
# some 502s in the logs, as the monitoring saw them
for _ in 1 2 3; do curl -s -o /dev/null -m 3 http://localhost/api/health; done
exit 0
