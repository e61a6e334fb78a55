#!/bin/bash
# Solved when /api/health answers through nginx from the real orders-api
# (running as app, unmodified), nginx workers still run as www-data, and it
# keeps working after orders-api is restarted with a new instance id.
no() { echo "$1"; echo NO; exit 0; }
# sha256 of files/app.py: the API itself must not be modified (update if app.py changes)
APP_SHA=5d19efc91373991d95a231374f39019b2a182b806a8f45cc115bad22cfb35ba6

tok=$(cat /root/.breakfix/orders-instance 2>/dev/null)
[ -n "$tok" ] || no "The scenario's records are missing; restart the scenario."

systemctl is-active --quiet nginx || no "nginx is not running (systemctl status nginx)."
systemctl is-active --quiet orders-api || no "orders-api is not running (systemctl status orders-api)."

[ "$(sha256sum < /opt/orders-api/app.py | cut -d' ' -f1)" = "$APP_SHA" ] \
  || no "/opt/orders-api/app.py was modified; the fix belongs in the configuration, not in the API's code."
pid=$(systemctl show -p MainPID --value orders-api)
[ -n "$pid" ] && [ "$pid" != 0 ] || no "orders-api has no main process."
[ "$(ps -o user= -p "$pid" | tr -d ' ')" = app ] \
  || no "orders-api must keep running as user app (OPS-1187), not as $(ps -o user= -p "$pid" | tr -d ' ')."
tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q '/opt/orders-api/app.py' \
  || no "orders-api.service no longer runs /opt/orders-api/app.py."

master=$(systemctl show -p MainPID --value nginx)
workers=$(ps -o user= --ppid "$master" 2>/dev/null | tr -d ' ' | sort -u | tr '\n' ' ')
[ "$workers" = "www-data " ] || no "nginx workers must keep running as www-data (they run as: ${workers:-nothing})."

out=$(curl -s -m 3 -w '\n%{http_code}' http://localhost/api/health)
code=$(echo "$out" | tail -n 1)
[ "$code" = 200 ] || no "curl http://localhost/api/health gets HTTP $code from nginx (see /var/log/nginx/error.log)."
echo "$out" | grep -q "\"instance\": \"$tok\"" \
  || no "/api/health answers 200, but not with the JSON of the running orders-api."

# The fix must survive a restart of the API: new instance id, restart, ask again.
new=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
echo "$new" > /root/.breakfix/orders-instance
echo "$new" > /etc/orders-api/instance-id
systemctl restart orders-api
ok=
for _ in $(seq 1 20); do
  out=$(curl -s -m 2 http://localhost/api/health)
  if echo "$out" | grep -q "\"instance\": \"$new\""; then ok=1; break; fi
  sleep 0.2
done
if [ -z "$ok" ]; then
  if echo "$out" | grep -q "\"instance\": \"$tok\""; then
    no "/api/health did not change when orders-api restarted with a new instance id: nginx is not really asking the API."
  fi
  no "It worked, but not after 'sudo systemctl restart orders-api': make the fix survive a restart of the service."
fi

# ...without opening the socket to every local user.
sock=$(systemctl show -p Environment --value orders-api | tr ' ' '\n' | sed -n 's/^ORDERS_SOCKET=//p')
sock=${sock:-/run/orders-api/api.sock}
if setpriv --reuid=nobody --regid=nogroup --clear-groups \
     curl -s -m 2 -o /dev/null --unix-socket "$sock" http://orders/api/health 2>/dev/null; then
  no "Every local user (even nobody) can talk to the API socket $sock: give nginx access through a group instead."
fi
echo OK
