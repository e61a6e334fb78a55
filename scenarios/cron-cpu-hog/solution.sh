#!/bin/bash
# Remove only the thumbnail-regen line from www-data's crontab, then kill the worker.
set -u
if crontab -u www-data -l 2>/dev/null | grep -q thumbnail-regen; then
  crontab -u www-data -l | grep -v -e 'thumbnail-regen' -e 'WEB-482' | crontab -u www-data -
fi
for i in 1 2 3; do
  pkill -u www-data -x thumbnail-regen 2>/dev/null
  sleep 1
done
systemctl is-active --quiet cron || systemctl start cron
crontab -u www-data -l
pgrep -a -u www-data -x thumbnail-regen || echo "thumbnail-regen is gone"
