#!/bin/bash
# Solved when the forgotten session that held the lock is gone, the migration went
# through, the application stores orders again, nothing waits on a lock, no order was
# lost, and neither PostgreSQL nor the finance export were restarted.
no() { echo "$1"; echo NO; exit 0; }
P() { timeout 3 runuser -u postgres -- psql -X -qAt -d shop -c "SET lock_timeout = '2s'" -c "$1" 2>/dev/null; }
B=/root/.breakfix
read -r rep_pid rep_start < $B/pg-reporting 2>/dev/null
dana=$(cat $B/pg-blocker 2>/dev/null); read -r maxid sum < $B/pg-orders 2>/dev/null
started=$(cat $B/pg-started 2>/dev/null)
[ -n "$rep_pid" ] && [ -n "$dana" ] && [ -n "$sum" ] && [ -n "$started" ] || no "The scenario's records are missing; restart the scenario."

systemctl is-active --quiet postgresql@15-main || no "PostgreSQL is not running (systemctl status postgresql@15-main)."
[ "$(P "SELECT pg_postmaster_start_time()")" = "$started" ] \
  || no "PostgreSQL was restarted: that killed every session, including the finance export. Restart the scenario and end only the session that blocks."
[ "$(P "SELECT backend_start FROM pg_stat_activity WHERE pid = $rep_pid")" = "$rep_start" ] \
  || no "The finance export's session (application_name finance-export) is gone: it was not the problem and has to start over now."
waiting=$(P "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND now() - query_start > interval '3 seconds'")
[ "$waiting" = 0 ] || no "$waiting session(s) still wait for a lock (pg_stat_activity, wait_event_type = 'Lock')."
[ "$(P "SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'gift_note'")" = 1 ] \
  || no "Migration 0042 (ALTER TABLE orders ADD COLUMN gift_note text) did not complete: the deploy needs it, don't cancel it."
[ -z "$(P "SELECT pid FROM pg_stat_activity WHERE pid = $dana")" ] \
  || no "The session at the root of the lock pile-up is still open (it would block the next migration the same way): follow pg_blocking_pids() from the waiting sessions to the session that waits for nothing."
got=$(P "SELECT md5(string_agg(id || ':' || customer_id || ':' || amount || ':' || created_at, ',' ORDER BY id)) FROM orders WHERE id <= $maxid")
[ "$got" = "$sum" ] || no "Orders that existed at the start are missing or changed: data was lost."
systemctl is-active --quiet orders-app || no "orders-app is not running (systemctl status orders-app)."
age=$(P "SELECT extract(epoch FROM now() - beat)::int FROM app_heartbeat WHERE id = 1")
[ -n "$age" ] && [ "$age" -le 10 ] || no "orders-app has not stored an order for ${age:-?} seconds (journalctl -u orders-app)."
[ -n "$(P "SELECT count(*) FROM orders")" ] || no "A query on orders does not finish within 2 seconds."
echo OK
