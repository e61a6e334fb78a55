#!/bin/bash
# Solved when pushgw (unmodified, run by systemd as pushgw, configured by
# /etc/pushgw/pushgw.env) answers /health on 8080 with this session's node id
# and the real spool directory.
no() { echo "$1"; echo NO; exit 0; }
APP_SHA=629abc1312c0f47197fd6df81de8ab4531afad4c25cea18cd5cccb3d8c1b2719
node=$(cat /root/.breakfix/pushgw-node 2>/dev/null)
[ -n "$node" ] || no "The scenario's records are missing; restart the scenario."

[ "$(sha256sum < /opt/pushgw/pushgw.py | cut -d' ' -f1)" = "$APP_SHA" ] \
  || no "/opt/pushgw/pushgw.py was modified; the problem is in the configuration, not the code."
systemctl is-active --quiet pushgw || no "pushgw is not running: look at 'systemctl status pushgw' and 'journalctl -u pushgw'."
pid=$(systemctl show -p MainPID --value pushgw)
[ -n "$pid" ] && [ "$pid" != 0 ] || no "pushgw has no main process."
tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q '/opt/pushgw/pushgw.py' || no "pushgw.service no longer runs /opt/pushgw/pushgw.py."
[ "$(ps -o user= -p "$pid" | tr -d ' ')" = pushgw ] || no "pushgw must run as user pushgw."
systemctl show -p EnvironmentFiles --value pushgw | grep -q '^/etc/pushgw/pushgw.env' \
  || no "pushgw.service must keep reading its settings from EnvironmentFile=/etc/pushgw/pushgw.env."
systemctl show -p Environment --value pushgw | grep -q 'PUSHGW_' \
  && no "Keep the settings in /etc/pushgw/pushgw.env, not in Environment= lines of the unit."
grep -q "^PUSHGW_NODE_ID=$node\$" /etc/pushgw/pushgw.env || no "PUSHGW_NODE_ID in /etc/pushgw/pushgw.env was changed; leave it as it is."

out=$(curl -s -m 3 http://127.0.0.1:8080/health)
[ -n "$out" ] || no "Nothing answers on http://127.0.0.1:8080/health."
echo "$out" | grep -q "\"node\": \"$node\"" || no "/health answers, but not with this node's id."
echo "$out" | grep -q '"spool": "/var/spool/pushgw"' || no "pushgw runs with a wrong spool directory: $(echo "$out" | sed -n 's/.*"spool": \("[^"]*"\).*/\1/p')."
code=$(curl -s -m 3 -o /dev/null -w '%{http_code}' -d '{"m":1}' http://127.0.0.1:8080/push)
[ "$code" = 202 ] || no "pushgw answers /health but cannot spool a push (HTTP $code)."
echo OK
