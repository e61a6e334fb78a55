#!/bin/bash
# Builds the lock pile-up:
#   finance-export (legit, idle in transaction on customers, the OLDEST transaction)
#   dana's forgotten psql (idle in transaction, AccessShareLock on orders)  <- root blocker
#   deploy 0042: ALTER TABLE orders ... waits for AccessExclusiveLock behind dana
#   orders-app INSERTs (and anyone else touching orders) queue behind the ALTER
# and records who is who in /root/.breakfix.
set -u
install -d -m 700 /root/.breakfix
P() { runuser -u postgres -- psql -X -qAt -d shop "$@"; }
for _ in $(seq 1 100); do runuser -u postgres -- pg_isready -q && break; sleep 0.2; done
systemctl stop orders-app

# a month of orders, randomised
n=$((RANDOM % 1500 + 2500))
P -c "INSERT INTO orders (customer_id, amount, created_at)
      SELECT 1 + (random() * 499)::int, round((5 + random() * 300)::numeric, 2),
             now() - random() * interval '30 days'
      FROM generate_series(1, $n) ORDER BY 3" >/dev/null
maxid=$(P -c "SELECT max(id) FROM orders")
sum=$(P -c "SELECT md5(string_agg(id || ':' || customer_id || ':' || amount || ':' || created_at, ',' ORDER BY id)) FROM orders WHERE id <= $maxid")

# 1. the finance export, started at night
systemctl start finance-export
for _ in $(seq 1 50); do
  rep=$(P -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'finance-export' AND state = 'idle in transaction'")
  [ -n "$rep" ] && break; sleep 0.1
done
sleep 1
# 2. dana looks at the latest orders in psql and forgets the open transaction
setsid nohup runuser -u dana -- bash -c '{ echo "BEGIN;"; echo "SELECT id, customer_id, amount FROM orders ORDER BY id DESC LIMIT 20;"; sleep infinity; } | psql -X -d shop' >/dev/null 2>&1 &
for _ in $(seq 1 50); do
  dana=$(P -c "SELECT pid FROM pg_stat_activity WHERE usename = 'dana' AND state = 'idle in transaction'")
  [ -n "$dana" ] && break; sleep 0.1
done
sleep 1
# 3. the deploy's migration: no lock_timeout, so it waits forever behind dana
echo "$(date -Is) migration 0042_orders_gift_note: ALTER TABLE orders ADD COLUMN gift_note text" >> /var/log/deploy/deploy.log
setsid nohup runuser -u postgres -- env PGAPPNAME=deploy-0042 psql -X -d shop -v ON_ERROR_STOP=1 \
  -c 'ALTER TABLE orders ADD COLUMN gift_note text' >> /var/log/deploy/deploy.log 2>&1 &
for _ in $(seq 1 50); do
  [ -n "$(P -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'deploy-0042' AND wait_event_type = 'Lock'")" ] && break; sleep 0.1
done
# 4. the application queues up behind the migration
systemctl start orders-app
for _ in $(seq 1 50); do
  [ -n "$(P -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'orders-app' AND wait_event_type = 'Lock'")" ] && break; sleep 0.1
done

P -c "SELECT pid || ' ' || backend_start FROM pg_stat_activity WHERE pid = $rep" > /root/.breakfix/pg-reporting
echo "$dana" > /root/.breakfix/pg-blocker
echo "$maxid $sum" > /root/.breakfix/pg-orders
P -c "SELECT pg_postmaster_start_time()" > /root/.breakfix/pg-started
chmod 600 /root/.breakfix/pg-*
exit 0
