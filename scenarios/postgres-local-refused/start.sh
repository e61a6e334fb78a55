#!/bin/bash
# Session-specific password and data: a fresh appuser password (written to
# admin's ~/.pgpass), a random number of today's orders, and a record of the
# table's row count and checksum for the check.
set -u
cd / || exit 1
for _ in $(seq 1 100); do
  pg_isready -q && break
  sleep 0.2
done
pg_isready -q || { echo "start.sh: PostgreSQL did not come up" >&2; exit 1; }

sql() { runuser -u postgres -- psql -X -q -At -v ON_ERROR_STOP=1 -d appdb "$@"; }
pw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
extra=$(( RANDOM % 150 + 23 ))
sql -c "ALTER ROLE appuser PASSWORD '$pw'" || exit 1
sql -c "INSERT INTO orders (customer, sku, qty, total, created_at)
        SELECT (ARRAY['Hartley Nurseries','M. Okafor','Greenway Landscaping','J. Lindqvist',
                      'Oakfield Allotments','P. Navarro','Thornbury Estates'])[1 + (random() * 6)::int],
               'SKU-' || lpad((random() * 9999)::int::text, 4, '0'),
               1 + (random() * 8)::int,
               round((4.5 + random() * 500)::numeric, 2),
               now() - (random() * interval '6 hours')
        FROM generate_series(1, $extra)" || exit 1
state=$(sql -c "SELECT count(*) || ' ' || md5(string_agg(o::text, '|' ORDER BY id)) FROM orders o") || exit 1

install -d -m 700 /root/.breakfix
echo "$pw $state" > /root/.breakfix/pg-orders
chmod 600 /root/.breakfix/pg-orders

printf 'localhost:5432:appdb:appuser:%s\n127.0.0.1:5432:appdb:appuser:%s\n' "$pw" "$pw" > /home/admin/.pgpass
chown admin:admin /home/admin/.pgpass
chmod 600 /home/admin/.pgpass
exit 0
