#!/bin/bash
# Today's batch with random orders (the expected report digest is kept for the check),
# then the nightly run starts, and the watchdog kills it again and again.
set -u
install -d -m 700 /root/.breakfix
seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
rows=$(( 180000 + $(od -An -N2 -tu2 /dev/urandom) % 40000 ))
awk -v seed="$seed" -v n="$rows" 'BEGIN { srand(seed); print "order_id,customer,sku,amount_cents"
  for (i = 1; i <= n; i++) printf "%d,C%05d,SKU-%04d,%d\n", 7000000 + i, int(rand() * 5000), int(rand() * 900), 100 + int(rand() * 90000) }' \
  > /var/lib/etl/inbox/orders.csv
chown etl:etl /var/lib/etl/inbox/orders.csv
awk -F, 'NR > 1 { s[$2] += $4 } END { for (c in s) printf "%s=%d\n", c, s[c] }' /var/lib/etl/inbox/orders.csv \
  | LC_ALL=C sort | sha256sum | cut -d' ' -f1 > /root/.breakfix/etl-digest
echo $(( rows * 400 / 1048576 + 20 )) > /root/.breakfix/etl-peak
date +%s > /root/.breakfix/etl-start
chmod 600 /root/.breakfix/etl-*
rm -f /var/lib/etl/out/report.json
systemctl restart etl-watchdog
systemctl start etl-worker
sleep 5
exit 0
