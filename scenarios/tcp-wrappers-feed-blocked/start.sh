#!/bin/bash
# A fresh, randomised stock feed (only the real invfeed serves it), then a few polls
# from the local exporter as the monitoring saw them.
set -u
install -d -m 700 /root/.breakfix
tok=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
{
  echo "sku,name,on_hand,batch"
  for sku in hori-hori-knife bypass-pruner border-fork twine-tin kneeler-pad; do
    echo "$sku,$sku,$((RANDOM % 300)),$tok"
  done
} > /srv/inventory/feed.csv
chown invfeed:invfeed /srv/inventory/feed.csv && chmod 640 /srv/inventory/feed.csv
echo "$tok" > /root/.breakfix/feed-batch && chmod 600 /root/.breakfix/feed-batch
systemctl restart inetd nginx
for _ in 1 2 3; do curl -s -o /dev/null -m 2 http://127.0.0.1:8080/feed/; done
exit 0
