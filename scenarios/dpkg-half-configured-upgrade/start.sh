#!/bin/bash
# This box's site id (random per session), in the 1.x config that dpkg kept, and
# the agent an on-call engineer started by hand last night from the old package.
set -u
STATE=/var/lib/breakfix-state
install -d -m 700 "$STATE"
site="fra-edge-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
echo "$site" > "$STATE/edge-agent-site" && chmod 600 "$STATE/edge-agent-site"
sed -i "s/^site_id = .*/site_id = $site/" /etc/edge-agent/agent.conf
touch -d '-14 hours' /etc/edge-agent/agent.conf

rm -rf /root/edge-agent-1.4.2
dpkg-deb -x /var/cache/apt/archives/edge-agent_1.4.2_all.deb /root/edge-agent-1.4.2
cd /root && nohup /root/edge-agent-1.4.2/usr/bin/edge-agent >/dev/null 2>&1 &
for _ in $(seq 1 50); do curl -s -m 1 -o /dev/null http://127.0.0.1:8080/status && break; sleep 0.1; done
# what the deploy saw when it retried
DEBIAN_FRONTEND=noninteractive dpkg --configure -a >/dev/null 2>&1
exit 0
