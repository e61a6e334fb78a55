#!/bin/bash
# 1. Listen on localhost again (TCP); 2. keep the SEC-2207 reject rules, but
# after the localhost rules (pg_hba.conf: the first matching line decides).
cd /
conf=/etc/postgresql/15/main/postgresql.conf
hba=/etc/postgresql/15/main/pg_hba.conf
sed -i -E "s/^listen_addresses[[:space:]]*=.*/listen_addresses = 'localhost'/" "$conf"
sed -i -E '/^host[[:space:]]+all[[:space:]]+all[[:space:]]+(0\.0\.0\.0\/0|::\/0)[[:space:]]+reject/d' "$hba"
sed -i '/^# SEC-2207: no database access over the network$/d' "$hba"
printf '%s\n' '# SEC-2207: no database access over the network (after the localhost rules)' \
  'host    all             all             0.0.0.0/0               reject' \
  'host    all             all             ::/0                    reject' >> "$hba"
# listen_addresses needs a restart, not just a reload
systemctl restart postgresql@15-main
for _ in $(seq 1 50); do pg_isready -q -h localhost && break; sleep 0.2; done
runuser -u admin -- psql -X -h localhost -U appuser -d appdb -c 'select count(*) from orders'
