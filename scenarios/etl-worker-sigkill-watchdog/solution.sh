#!/bin/bash
systemctl status etl-worker --no-pager | head -8   # code=killed, status=9/KILL: not a crash
journalctl -u etl-worker --no-pager | grep -m1 'expected peak'
journalctl --no-pager | grep -m2 SIGKILL           # it's etl-watchdog, not the kernel
# Give the worker room for its batch (~100 MB), but keep the watchdog.
sed -i 's/^MAX_RSS_MB=.*/MAX_RSS_MB=160/' /etc/etl/watchdog.conf
systemctl restart etl-watchdog                     # the config is read at start
systemctl restart etl-worker
for _ in $(seq 1 60); do
  [ "$(systemctl show -p ActiveState --value etl-worker)" = inactive ] && break
  sleep 1
done
journalctl -u etl-worker --no-pager | tail -2
systemctl show -p Result etl-worker
