#!/bin/bash
pid=$(systemctl show -p MainPID --value chatd)
grep 'open files' /proc/$pid/limits          # 100 100
lsof -p "$pid" 2>/dev/null | wc -l           # ~100: the budget is used up
journalctl -u chatd --no-pager | tail -3     # accept() failed: [Errno 24] Too many open files
systemctl cat chatd                          # LimitNOFILE=16384 ... but a drop-in says 256
# 1. the INC-2231 drop-in overrides the unit's LimitNOFILE: drop it
rm -f /etc/systemd/system/chatd.service.d/10-fd-cap.conf
systemctl daemon-reload
# 2. the launcher lowers it again with ulimit -n from /etc/default/chatd
sed -i 's/^CHATD_MAX_FILES=.*/CHATD_MAX_FILES=16384/' /etc/default/chatd
systemctl restart chatd
sleep 1
grep 'open files' /proc/$(systemctl show -p MainPID --value chatd)/limits
