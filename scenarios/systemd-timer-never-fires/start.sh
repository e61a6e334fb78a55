#!/bin/bash
# Fresh CSV drops with random amounts; the expected total is kept for the check,
# together with the session start time (the summary and the timer run must be newer).
set -u
install -d -m 700 /root/.breakfix
rm -f /var/spool/rollup/*.csv /var/lib/rollup/summary.txt
total=0
for shop in north south east west harbour; do
  f=/var/spool/rollup/$shop-$(date -u +%Y%m%d).csv
  echo "ts,shop,amount_cents" > "$f"
  n=$(( $(od -An -N1 -tu1 /dev/urandom) % 20 + 10 ))
  for _ in $(seq 1 "$n"); do
    a=$(( $(od -An -N2 -tu2 /dev/urandom) + 99 ))
    total=$((total + a))
    echo "$(date -u +%s),$shop,$a" >> "$f"
  done
done
chown rollup:rollup /var/spool/rollup/*.csv
# a stale summary from before the timer broke (three days ago)
printf 'generated %s\nfiles 5\nrows 71\ntotal_cents 2301877\n' "$(date -u -d '3 days ago' +%Y-%m-%dT%H:%M:%SZ)" > /var/lib/rollup/summary.txt
chown rollup:rollup /var/lib/rollup/summary.txt
touch -d '3 days ago' /var/lib/rollup/summary.txt
echo "$total" > /root/.breakfix/rollup-total
date +%s > /root/.breakfix/rollup-start
chmod 600 /root/.breakfix/rollup-*
systemctl daemon-reload
exit 0
