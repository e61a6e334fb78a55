#!/bin/bash
# 1. Why did the upgrade stop? Finishing it shows the postinst failing.
dpkg --audit
dpkg --configure -a
# 2. The postinst runs `edge-agent --check-config --quiet`; without --quiet it says why:
edge-agent --check-config
# 3. dpkg kept the locally modified 1.x conffile (keys bind/site_id) and put the 2.x one
#    next to it as agent.conf.dpkg-dist. Merge: 2.x file + our local values.
site=$(sed -n 's/^site_id *= *//p' /etc/edge-agent/agent.conf)
bind=$(sed -n 's/^bind *= *//p' /etc/edge-agent/agent.conf)
cp /etc/edge-agent/agent.conf /root/agent.conf.1.x.bak
sed -e "s/^listen = .*/listen = $bind/" -e "s/^site = .*/site = $site/" \
    /etc/edge-agent/agent.conf.dpkg-dist > /etc/edge-agent/agent.conf
rm /etc/edge-agent/agent.conf.dpkg-dist
edge-agent --check-config
# 4. Port 8080 is held by an old 1.4.2 agent started by hand: find it and stop it.
ss -ltnp 'sport = :8080'
pid=$(ss -ltnpH 'sport = :8080' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[ -n "$pid" ] && kill "$pid"
sleep 0.5
# 5. Finish the interrupted configuration.
dpkg --configure -a
dpkg --audit
dpkg -l edge-agent | tail -1
curl -s http://127.0.0.1:8080/status
