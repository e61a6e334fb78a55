#!/bin/bash
# Solved when report-rollup.timer is enabled, active, scheduled every minute, has really
# fired since the session started, and the service it triggered ran the unmodified
# rollup script successfully, producing a fresh, correct summary.
no() { echo "$1"; echo NO; exit 0; }
SCRIPT_SHA=2fc3e0dbf799bc8c1f427bcceabf19e3a7afcf449267410121c618d3505ebb94
total=$(cat /root/.breakfix/rollup-total 2>/dev/null)
t0=$(cat /root/.breakfix/rollup-start 2>/dev/null)
[ -n "$total" ] && [ -n "$t0" ] || no "The scenario's records are missing; restart the scenario."
T=report-rollup.timer

[ "$(systemctl show -p LoadState --value $T)" = loaded ] \
  || no "$T is not loaded ($(systemctl show -p LoadState --value $T)): see 'systemctl status $T' and its journal."
systemctl is-enabled --quiet $T || no "$T is not enabled: it would not come back after a reboot."
systemctl is-active --quiet $T || no "$T is not active (started)."
cal=$(systemctl show -p TimersCalendar --value $T)
echo "$cal" | grep -q 'OnCalendar=\*-\*-\* \*:\*:00 ' || no "$T must run every minute (OnCalendar is: ${cal:-nothing})."
next=$(systemctl show -p NextElapseUSecRealtime --value $T)
[ -n "$next" ] && [ "$next" != 0 ] || no "$T has no next elapse time: 'systemctl list-timers --all'."
svc=$(systemctl show -p Triggers --value $T)
[ -n "$svc" ] || no "$T does not trigger any unit."
[ "$(systemctl show -p LoadState --value "$svc")" = loaded ] || no "$T triggers $svc, which does not exist."
systemctl show -p ExecStart --value "$svc" | grep -q 'path=/opt/rollup/rollup.sh ' \
  || no "$svc must run /opt/rollup/rollup.sh."
[ "$(sha256sum < /opt/rollup/rollup.sh | cut -d' ' -f1)" = "$SCRIPT_SHA" ] || no "/opt/rollup/rollup.sh was modified; leave the job itself alone."

last=$(systemctl show -p LastTriggerUSec --value $T)
lastsec=$(date -d "$last" +%s 2>/dev/null || echo 0)
[ "$lastsec" -ge "$t0" ] || no "$T has not fired since you started (last trigger: ${last:-never}). Wait for the next full minute, then check again."
[ "$(systemctl show -p Result --value "$svc")" = success ] || no "$T fired, but $svc failed: 'journalctl -u $svc'."
runsec=$(date -d "$(systemctl show -p ExecMainStartTimestamp --value "$svc")" +%s 2>/dev/null || echo 0)
[ "$runsec" -ge "$lastsec" ] || no "$svc did not run when $T last fired."

f=/var/lib/rollup/summary.txt
[ -f "$f" ] || no "$f does not exist."
[ "$(stat -c %Y "$f")" -ge "$t0" ] || no "$f is still the stale one from before."
[ "$(stat -c %U "$f")" = rollup ] || no "$f was not written by the rollup job (owner $(stat -c %U "$f"))."
grep -qx "total_cents $total" "$f" || no "$f is fresh but its total is wrong: did the job read all of /var/spool/rollup?"
echo OK
