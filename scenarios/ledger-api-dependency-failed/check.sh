#!/bin/bash
# Solved when ledger-api (unmodified) runs after ledger-migrate, which it still Requires=
# and is ordered after, the migration really ran (schema 7) and no data was lost; and this
# still works when both are restarted from scratch.
no() { echo "$1"; echo NO; exit 0; }
SUMS='732af1f8b8c8bcfdc24eaee9ee40ad6b9fb2ce5f98bb814dbfe426475b5d6794  api.py
5a3ad982ff3fc8cc6e2e4abb3fdab3bd0f6d7c9a9f5d0867c7edc8c3a9a2005d  migrate.py
4eb908b083a39545a68f48cb9fa87859a0b222f10ff8c9b822d3d0164abb42f1  migrations/0006_accounts_closed.sql
e25df1ee2afafda861c6ae054af1d3f17f491b19c042640f9c04bb2601705eb5  migrations/0007_entry_currency.sql'
read -r lid n total < /root/.breakfix/ledger-expected 2>/dev/null
[ -n "${total:-}" ] || no "The scenario's records are missing; restart the scenario."
bad=$(cd /opt/ledger && echo "$SUMS" | sha256sum --quiet -c 2>/dev/null | cut -d: -f1 | tr '\n' ' ')
(cd /opt/ledger && echo "$SUMS" | sha256sum --quiet -c >/dev/null 2>&1) || no "Files of the ledger package were modified (${bad:-/opt/ledger}); fix the units, not the code."

[ "$(systemctl show -p LoadState --value ledger-migrate)" = loaded ] || no "ledger-migrate.service can't be loaded ($(systemctl show -p LoadState --value ledger-migrate))."
systemctl show -p Requires --value ledger-api | tr ' ' '\n' | grep -qx ledger-migrate.service \
  || systemctl show -p BindsTo --value ledger-api | tr ' ' '\n' | grep -qx ledger-migrate.service \
  || no "ledger-api must keep its Requires= on ledger-migrate.service: the API must never run on an unmigrated database."
systemctl show -p After --value ledger-api | tr ' ' '\n' | grep -qx ledger-migrate.service \
  || no "ledger-api still starts at the same time as ledger-migrate (Requires= alone does not order them): it must start *after* the migration has finished."
systemctl show -p ExecStart --value ledger-migrate | grep -q 'path=/usr/bin/python3 .*argv\[\]=/usr/bin/python3 /opt/ledger/migrate.py ' \
  || no "ledger-migrate.service must run /opt/ledger/migrate.py."

# from scratch: stop both, start the API, let systemd pull in the migration
systemctl stop ledger-api ledger-migrate 2>/dev/null
systemctl reset-failed ledger-api ledger-migrate 2>/dev/null
timeout 6 systemctl start ledger-api 2>/dev/null
out=
for _ in $(seq 1 20); do
  out=$(curl -s -m 1 http://127.0.0.1:8080/health) && [ -n "$out" ] && break
  sleep 0.2
done
[ "$(systemctl show -p ActiveState --value ledger-migrate)" = active ] && [ "$(systemctl show -p Result --value ledger-migrate)" = success ] \
  || no "After 'systemctl start ledger-api' from scratch, ledger-migrate did not succeed: 'journalctl -u ledger-migrate'."
systemctl is-active --quiet ledger-api || no "After stopping both and 'systemctl start ledger-api', the API did not stay up: 'journalctl -u ledger-api'."
pid=$(systemctl show -p MainPID --value ledger-api)
tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q '/opt/ledger/api.py' || no "ledger-api.service no longer runs /opt/ledger/api.py."
[ "$(ps -o user= -p "$pid" | tr -d ' ')" = ledger ] || no "ledger-api must run as user ledger."
echo "$out" | grep -q '"schema": 7' || no "ledger-api does not report schema version 7."
echo "$out" | grep -q "\"ledger_id\": \"$lid\"" || no "ledger-api serves a different database than the original one."
echo "$out" | grep -q "\"entries\": $n, \"total_cents\": $total" || no "The ledger's entries changed (expected $n entries): data was lost or altered."
echo OK
