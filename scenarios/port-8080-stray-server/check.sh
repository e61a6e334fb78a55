#!/bin/bash
# Solved when port 8080 belongs to nginx (and only nginx), the catalog page with this
# session's build id is served there, and the preview server is stopped and will not
# come back at the next boot. nginx must come back at boot too.
no() { echo "$1"; echo NO; exit 0; }
build=$(cat /root/.breakfix/catalog-build 2>/dev/null)
[ -n "$build" ] || no "The scenario's records are missing; restart the scenario."

systemctl is-active --quiet nginx || no "nginx is not running (systemctl status nginx)."
master=$(systemctl show -p MainPID --value nginx)
[ "$(readlink /proc/"$master"/exe 2>/dev/null)" = /usr/sbin/nginx ] || no "nginx.service does not run /usr/sbin/nginx."

pids=$(ss -ltnpH 'sport = :8080' | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u)
[ -n "$pids" ] || no "Nothing listens on port 8080 (ss -ltnp)."
for p in $pids; do
  exe=$(readlink "/proc/$p/exe" 2>/dev/null)
  if [ "$exe" != /usr/sbin/nginx ]; then
    no "Port 8080 is held by $(ps -o comm= -p "$p") (PID $p), not by nginx (sudo ss -ltnp 'sport = :8080')."
  fi
  if [ "$p" != "$master" ] && [ "$(ps -o ppid= -p "$p" | tr -d ' ')" != "$master" ]; then
    no "Port 8080 is held by an nginx (PID $p) that systemd does not manage: start nginx with systemctl."
  fi
done

page=$(curl -s -m 3 http://127.0.0.1:8080/)
echo "$page" | grep -q "Build: $build" || no "http://localhost:8080/ does not return the catalog page from /var/www/catalog."

systemctl is-active --quiet docs-preview && no "docs-preview is still running: systemd will keep it alive."
pgrep -f 'http\.server' >/dev/null && no "A python http.server is still running (pgrep -af http.server)."
state=$(systemctl is-enabled docs-preview 2>/dev/null)
case "$state" in
  enabled|enabled-runtime|static|alias|linked|linked-runtime) no "docs-preview is stopped but still enabled ($state): at the next boot it grabs 8080 again." ;;
esac
[ "$(systemctl is-enabled nginx 2>/dev/null)" = enabled ] || no "nginx is not enabled: it would not start at the next boot."
echo OK
