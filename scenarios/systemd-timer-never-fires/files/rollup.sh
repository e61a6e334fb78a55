#!/bin/bash
# Sum the amounts of every CSV drop in /var/spool/rollup into /var/lib/rollup/summary.txt
# (read by the dashboard). Runs every minute from report-rollup.timer.
set -euo pipefail
spool=/var/spool/rollup
out=/var/lib/rollup/summary.txt
tmp=$(mktemp /var/lib/rollup/.summary.XXXXXX)
shopt -s nullglob
files=("$spool"/*.csv)
awk -F, -v now="$(date -u +%Y-%m-%dT%H:%M:%SZ)" -v nfiles="${#files[@]}" '
  FNR == 1 { next }                  # header
  { total += $3; n++; per[$2] += $3 }
  END {
    printf "generated %s\nfiles %d\nrows %d\ntotal_cents %d\n", now, nfiles, n, total
    for (s in per) printf "shop %s %d\n", s, per[s] | "sort"
  }' "${files[@]}" /dev/null > "$tmp"
chmod 644 "$tmp"
mv -f "$tmp" "$out"
echo "rollup: $(grep -c '^shop' "$out") shops, $(sed -n 's/^rows //p' "$out") rows, total $(sed -n 's/^total_cents //p' "$out") cents"
