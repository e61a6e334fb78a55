#!/bin/bash
# Solved when /var/log/app is below 50% and the original ingestd process
# (same PID, same start time, not stopped) is still running and logging there.
no() { echo "$1"; echo NO; exit 0; }

read -r pid starttime < /root/.breakfix/ingestd.origin 2>/dev/null
[ -n "${pid:-}" ] || no "The scenario's records are missing; restart the scenario."

if [ ! -r "/proc/$pid/stat" ]; then
  no "ingestd (PID $pid) is no longer running: the space had to be freed without stopping the service."
fi
stat_rest=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null)
state=$(echo "$stat_rest" | cut -d' ' -f1)
now_start=$(echo "$stat_rest" | cut -d' ' -f20)
if [ "$now_start" != "$starttime" ] || ! tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q '/usr/local/bin/ingestd'; then
  no "The original ingestd (PID $pid) is gone: it was restarted, so its in-memory queue was lost."
fi
case "$state" in
  T|t|Z|X) no "ingestd (PID $pid) is not running normally (state $state): it is stopped or dead." ;;
esac

fd3=$(readlink "/proc/$pid/fd/3" 2>/dev/null)
case "$fd3" in
  /var/log/app/*) ;;
  *) no "ingestd no longer has its log open under /var/log/app; it should keep logging there." ;;
esac

used=$(df --output=pcent /var/log/app 2>/dev/null | tail -n 1 | tr -dc '0-9')
[ -n "$used" ] || no "Cannot read the usage of /var/log/app."
if [ "$used" -ge 50 ]; then
  no "/var/log/app is still ${used}% full (df /var/log/app); it must be below 50%."
fi
echo OK
