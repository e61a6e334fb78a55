#!/bin/bash
# Solved when etl-worker (unmodified) finished this session's batch successfully and wrote
# the correct report, and etl-watchdog (unmodified) still runs with a limit that fits the
# batch but still protects the 256 MB box.
no() { echo "$1"; echo NO; exit 0; }
WORKER_SHA=f22c8579b36b4a59394f217401217a792fc341bbbb443ada1d54539486be8e70
WATCHDOG_SHA=e9a72ac7037d2e533f0851b6c9cd55cfc20859fb75b2927d5c71bddff60cc074
digest=$(cat /root/.breakfix/etl-digest 2>/dev/null)
peak=$(cat /root/.breakfix/etl-peak 2>/dev/null)
t0=$(cat /root/.breakfix/etl-start 2>/dev/null)
[ -n "$digest" ] && [ -n "$peak" ] && [ -n "$t0" ] || no "The scenario's records are missing; restart the scenario."
[ "$(sha256sum < /opt/etl/worker.py | cut -d' ' -f1)" = "$WORKER_SHA" ] || no "/opt/etl/worker.py was modified; the worker is fine as it is."
[ "$(sha256sum < /usr/local/sbin/etl-watchdog | cut -d' ' -f1)" = "$WATCHDOG_SHA" ] || no "/usr/local/sbin/etl-watchdog was modified; change its configuration, not the script."

systemctl is-active --quiet etl-watchdog || no "etl-watchdog is not running: the box needs it, keep it."
limit=$( (MAX_RSS_MB=; . /etc/etl/watchdog.conf >/dev/null 2>&1; echo "$MAX_RSS_MB") )
[[ "$limit" =~ ^[0-9]+$ ]] || no "MAX_RSS_MB in /etc/etl/watchdog.conf is not a number."
[ "$limit" -le 200 ] || no "MAX_RSS_MB=$limit would let a runaway worker eat the 256 MB box; choose a limit that fits the batch."
[ "$limit" -ge "$peak" ] || no "MAX_RSS_MB=$limit is below what this batch needs (the worker logs its expected peak): tomorrow's run would be killed again."
used=$(journalctl -u etl-watchdog -o cat --no-pager 2>/dev/null | sed -n 's/^watching .*MAX_RSS_MB=\([0-9]*\).*/\1/p' | tail -1)
[ "$used" = "$limit" ] || no "etl-watchdog is still running with MAX_RSS_MB=${used:-?}: it reads its config only when it starts."

st=$(systemctl show -p ActiveState --value etl-worker)
case "$st" in active|activating|reloading) no "etl-worker is still $st: it has not finished the batch (yet).";; esac
log=$(journalctl -u etl-worker --since "@$t0" -o cat --no-pager 2>/dev/null)
last=$(echo "$log" | grep -E 'Deactivated successfully|Failed with result|Main process exited' | tail -1)
[ -n "$last" ] || no "etl-worker has not run since you started."
echo "$last" | grep -q 'Deactivated successfully' || no "etl-worker's last run did not succeed ($last)."
echo "$log" | grep -q '^report written' || no "etl-worker's last run did not write the report."
systemctl show -p ExecStart --value etl-worker | grep -q '/opt/etl/worker.py' || no "etl-worker.service must run /opt/etl/worker.py."
f=/var/lib/etl/out/report.json
[ -f "$f" ] || no "There is no report: $f does not exist."
[ "$(stat -c %U "$f")" = etl ] || no "$f was not written by the etl-worker service (owner $(stat -c %U "$f"))."
[ "$(stat -c %Y "$f")" -ge "$t0" ] || no "$f is older than this session."
grep -q "\"digest\": \"$digest\"" "$f" || no "$f does not contain the correct totals for today's batch."
echo OK
