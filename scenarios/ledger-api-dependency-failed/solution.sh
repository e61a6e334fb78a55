#!/bin/bash
systemctl status ledger-api --no-pager | head -5
systemctl list-dependencies ledger-api --no-pager | head -5
# 1. the migration unit was masked during the incident (a symlink to /dev/null in /etc)
systemctl unmask ledger-migrate
systemctl start ledger-migrate; journalctl -u ledger-migrate --no-pager | tail -3   # database is locked
# 2. who holds the database? a forgotten interactive sqlite3 session
lsof /var/lib/ledger/ledger.db
pid=$(lsof -t /var/lib/ledger/ledger.db | head -1)
ps -o pid,user,lstart,cmd -p "$pid"
kill "$pid"; sleep 0.5
# 3. Requires= without After=: both start at once and the API checks the schema before the
#    migration has finished. Order it, keep the requirement.
mkdir -p /etc/systemd/system/ledger-api.service.d
printf '[Unit]\nAfter=ledger-migrate.service\n' > /etc/systemd/system/ledger-api.service.d/10-order.conf
systemctl daemon-reload
systemctl reset-failed ledger-api ledger-migrate
systemctl start ledger-api
for _ in $(seq 1 30); do curl -s -m 1 http://127.0.0.1:8080/health && break; sleep 0.2; done
