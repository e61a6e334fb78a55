#!/bin/bash
# systemd's EnvironmentFile= is not a shell script: no "export", no trailing comments.
sed -i -e 's/^export[[:space:]]\+//' \
       -e 's/^\(PUSHGW_SPOOL=[^[:space:]#]*\)[[:space:]]*#.*$/\1/' /etc/pushgw/pushgw.env
cat /etc/pushgw/pushgw.env
systemctl restart pushgw
for _ in $(seq 1 30); do curl -s -m 1 http://127.0.0.1:8080/health && break; sleep 0.2; done
