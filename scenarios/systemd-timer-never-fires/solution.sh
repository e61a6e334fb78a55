#!/bin/bash
# 1. "minutley" is not a calendar expression: the timer refused to load (bad-setting).
sed -i 's/^OnCalendar=.*/OnCalendar=minutely/' /etc/systemd/system/report-rollup.timer
# 2. A timer triggers the service with its own name unless Unit= says otherwise.
sed -i '/^\[Timer\]/a Unit=reports-rollup.service' /etc/systemd/system/report-rollup.timer
systemctl daemon-reload
systemd-analyze calendar minutely | head -3
# 3. It was never enabled: enable (for boots) and start (now).
systemctl enable --now report-rollup.timer
systemctl list-timers report-rollup.timer --no-pager
# wait for the next full minute (+ accuracy) so the timer really fires
start=$(date +%s)
until [ "$(systemctl show -p LastTriggerUSecMonotonic --value report-rollup.timer)" != 0 ] \
      && [ "$(systemctl show -p Result --value reports-rollup.service)" = success ] \
      && [ "$(systemctl show -p ActiveState --value reports-rollup.service)" = inactive ] \
      && [ "$(stat -c %Y /var/lib/rollup/summary.txt)" -ge "$start" ]; do
  [ $(( $(date +%s) - start )) -gt 90 ] && break
  sleep 1
done
journalctl -u reports-rollup --no-pager | tail -3
cat /var/lib/rollup/summary.txt
