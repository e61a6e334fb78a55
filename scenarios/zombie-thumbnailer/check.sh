#!/bin/bash
# Solved when no zombie process is left, thumbd (unmodified, run by systemd) answers
# /health with this session's instance id, and backupd was left alone.
no() { echo "$1"; echo NO; exit 0; }
APP_SHA=4d1c6781433900af4f6f14465edbb422ecae804f6ec62a6eaf41ad990a097b8b
id=$(cat /root/.breakfix/thumbd-instance 2>/dev/null)
bpid=$(cat /root/.breakfix/backupd-pid 2>/dev/null)
[ -n "$id" ] && [ -n "$bpid" ] || no "The scenario's records are missing; restart the scenario."

zombies() { ps -eo stat= | grep -c '^Z'; }
z=$(zombies); [ "$z" -gt 0 ] && { sleep 0.5; z=$(zombies); }
[ "$z" -eq 0 ] || no "There are still $z zombie (defunct) processes: 'ps -eo pid,ppid,stat,cmd | grep defunct'."

[ "$(systemctl show -p MainPID --value backupd)" = "$bpid" ] && kill -0 "$bpid" 2>/dev/null \
  || no "backupd, the nightly backup, was killed or restarted: only the process that leaks zombies needed attention."
[ "$(pgrep -c -P "$bpid" -x sleep)" -ge 3 ] || no "backupd's stream workers were killed: leave the backup alone."

[ "$(sha256sum < /opt/thumbd/thumbd.py | cut -d' ' -f1)" = "$APP_SHA" ] || no "/opt/thumbd/thumbd.py was modified; restore it, a restart is all that is needed for now."
systemctl is-active --quiet thumbd || no "thumbd is not running: 'systemctl status thumbd'."
pid=$(systemctl show -p MainPID --value thumbd)
tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q '/opt/thumbd/thumbd.py' || no "thumbd.service no longer runs /opt/thumbd/thumbd.py."
out=$(curl -s -m 3 http://127.0.0.1:8080/health)
echo "$out" | grep -q "\"instance\": \"$id\"" || no "thumbd does not answer http://127.0.0.1:8080/health."
echo OK
