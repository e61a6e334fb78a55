#!/bin/bash
# Solved when edge-agent 2.0.1 is fully configured (dpkg state ii, dpkg --audit clean),
# its unmodified binary and maintainer script are in place, and the systemd service (not
# a hand-started copy) answers on :8080 with this box's site id, also after a restart.
no() { echo "$1"; echo NO; exit 0; }
BIN_SHA=3e74404380cde94e5cae27472774211ad95462d201b44397e9226448c853ef03
POSTINST_SHA=0357836bc2c428cf63d0927243ea25d228840168cc21803f50eaad43e7147264

site=$(cat /var/lib/breakfix-state/edge-agent-site 2>/dev/null)
[ -n "$site" ] || no "The scenario's records are missing; restart the scenario."

st=$(dpkg-query -W -f='${Status} ${Version}' edge-agent 2>/dev/null)
case "$st" in
  "install ok installed 2.0.1") ;;
  "install ok installed "*) no "edge-agent is installed, but as version ${st##* }: the upgrade to 2.0.1 has to be completed, not rolled back." ;;
  "") no "edge-agent is no longer installed: complete its upgrade instead of removing it." ;;
  *) no "dpkg still reports edge-agent as '$st' (dpkg -l edge-agent, dpkg --audit)." ;;
esac
audit=$(dpkg --audit 2>&1)
[ -z "$audit" ] || no "dpkg --audit still reports problems: $(echo "$audit" | head -1)"

[ "$(sha256sum < /usr/bin/edge-agent | cut -d' ' -f1)" = "$BIN_SHA" ] \
  || no "/usr/bin/edge-agent is not the file from the 2.0.1 package; fix the configuration, not the program."
[ "$(sha256sum < /var/lib/dpkg/info/edge-agent.postinst 2>/dev/null | cut -d' ' -f1)" = "$POSTINST_SHA" ] \
  || no "The package's postinst was modified; it must run as shipped."

systemctl is-active --quiet edge-agent || no "edge-agent.service is not running (systemctl status edge-agent)."

ask() {
  local pid out
  pid=$(systemctl show -p MainPID --value edge-agent)
  [ -n "$pid" ] && [ "$pid" != 0 ] || { echo "edge-agent.service has no main process."; return 1; }
  [ "$(ps -o user= -p "$pid" | tr -d ' ')" = edgeagent ] || { echo "edge-agent.service must run as user edgeagent."; return 1; }
  out=$(curl -s -m 2 http://127.0.0.1:8080/status)
  [ -n "$out" ] || { echo "Nothing answers on http://127.0.0.1:8080/status."; return 1; }
  echo "$out" | grep -q '"version": "2.0.1"' || { echo "Port 8080 answers, but not as edge-agent 2.0.1: $out"; return 1; }
  echo "$out" | grep -q "\"pid\": $pid," || { echo "Port 8080 is answered by a process that is not edge-agent.service's (ss -ltnp)."; return 1; }
  echo "$out" | grep -q "\"site\": \"$site\"" || { echo "The agent reports the wrong site (should keep this box's site id from its old configuration): $out"; return 1; }
  return 0
}
msg=$(ask) || no "$msg"
systemctl restart edge-agent >/dev/null 2>&1 || no "'systemctl restart edge-agent' fails (systemctl status edge-agent)."
ok=
for _ in $(seq 1 20); do msg=$(ask) && { ok=1; break; }; sleep 0.2; done
[ -n "$ok" ] || no "After 'systemctl restart edge-agent': $msg"
echo OK
