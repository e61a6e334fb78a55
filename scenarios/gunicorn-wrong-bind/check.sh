#!/bin/bash
# Solved when the inventory service itself (gunicorn from inventory.service, running as
# inventory, app unmodified) answers on 127.0.0.1:8080 with this session's instance id,
# listens on loopback only, and still does after a restart of the service.
no() { echo "$1"; echo NO; exit 0; }
APP_SHA=97b94be598e04de4e7ba6dfce8a9040429e1779119e2e8d9217501013e290e30
tok=$(cat /root/.breakfix/inventory-instance 2>/dev/null)
[ -n "$tok" ] || no "The scenario's records are missing; restart the scenario."

[ "$(sha256sum < /opt/inventory/app.py | cut -d' ' -f1)" = "$APP_SHA" ] \
  || no "/opt/inventory/app.py was modified; the problem is in how the service is started, not in the app."
systemctl is-active --quiet inventory || no "inventory.service is not running (systemctl status inventory)."
pid=$(systemctl show -p MainPID --value inventory)
cmd=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)
echo "$cmd" | grep -q 'gunicorn' && echo "$cmd" | grep -Eq -- '(-c|--config)[ =]/etc/inventory/gunicorn.conf.py' \
  || no "inventory.service must still run gunicorn with --config /etc/inventory/gunicorn.conf.py."
[ "$(ps -o user= -p "$pid" | tr -d ' ')" = inventory ] || no "inventory must keep running as user inventory."

lines=$(ss -ltnpH 'sport = :8080')
[ -n "$lines" ] || no "Nothing listens on TCP port 8080 (sudo ss -ltnp)."
while read -r _ _ _ local _ rest; do
  [ "$local" = "127.0.0.1:8080" ] || no "Something listens on $local: the API must listen on loopback only (127.0.0.1:8080), not on every interface."
  for p in $(echo "$rest" | grep -o 'pid=[0-9]*' | cut -d= -f2); do
    grep -q 'inventory.service' "/proc/$p/cgroup" 2>/dev/null \
      || no "127.0.0.1:8080 is held by $(ps -o comm= -p "$p") (PID $p), which is not part of inventory.service."
  done
done <<< "$lines"

out=$(curl -s -m 3 http://127.0.0.1:8080/health)
echo "$out" | grep -q "\"instance\": \"$tok\"" || no "curl http://127.0.0.1:8080/health does not return the inventory API's JSON."

# the fix must be in the service's configuration: restart with a new id and ask again
new=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
echo "$new" > /root/.breakfix/inventory-instance
echo "$new" > /etc/inventory/instance-id
systemctl restart inventory
for _ in $(seq 1 30); do
  out=$(curl -s -m 1 http://127.0.0.1:8080/health)
  echo "$out" | grep -q "\"instance\": \"$new\"" && { echo OK; exit 0; }
  sleep 0.2
done
no "It answered, but not after 'sudo systemctl restart inventory': make the fix part of the service's configuration."
