#!/bin/bash
# Zombies are already dead: only their parent can collect them (wait()), or, once the
# parent is gone, PID 1 adopts and reaps them. Find the parent, restart just that service.
ps -eo pid,ppid,stat,comm | awk '$3 ~ /^Z/' | head -3
ppid=$(ps -eo ppid=,stat= | awk '$2 ~ /^Z/ {print $1}' | sort | uniq -c | sort -rn | awk 'NR==1 {print $2}')
ps -o pid,user,cmd -p "$ppid"
systemctl status "$ppid" --no-pager | head -3
systemctl restart thumbd
sleep 1
ps -eo stat | grep -c '^Z'
curl -s http://127.0.0.1:8080/health
