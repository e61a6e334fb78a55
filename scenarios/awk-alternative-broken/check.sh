#!/bin/bash
# Solved when /usr/bin/awk is GNU awk again *through the alternatives system*: gawk's
# binary restored from its package, the awk link group pointing at it (with its nawk
# slave), and the unmodified traffic report producing the same output as gawk does.
no() { echo "$1"; echo NO; exit 0; }
REPORT_SHA=387f9ced9d96b36a33e16079f7e969f916d5fddddd8d14335f547b9c9a8c4e4a

for p in gawk mawk; do
  [ "$(dpkg-query -W -f='${Status}' $p 2>/dev/null)" = "install ok installed" ] \
    || no "Package $p must stay installed (dpkg -l $p)."
done
want=$(awk '$2 == "usr/bin/gawk" {print $1}' /var/lib/dpkg/info/gawk.md5sums 2>/dev/null)
[ -n "$want" ] && [ -f /usr/bin/gawk ] && [ ! -L /usr/bin/gawk ] \
  && [ "$(md5sum < /usr/bin/gawk | cut -d' ' -f1)" = "$want" ] \
  || no "/usr/bin/gawk is missing or is not the file from the gawk package (dpkg --verify gawk)."
want=$(awk '$2 == "usr/bin/mawk" {print $1}' /var/lib/dpkg/info/mawk.md5sums 2>/dev/null)
[ "$(md5sum < /usr/bin/mawk | cut -d' ' -f1)" = "$want" ] || no "/usr/bin/mawk was modified."

[ -L /usr/bin/awk ] || no "/usr/bin/awk is not a symbolic link (ls -l /usr/bin/awk): it should be managed by update-alternatives."
[ "$(readlink /usr/bin/awk)" = /etc/alternatives/awk ] \
  || no "/usr/bin/awk points to $(readlink /usr/bin/awk), not to /etc/alternatives/awk: let update-alternatives manage it."
[ "$(readlink /etc/alternatives/awk)" = /usr/bin/gawk ] \
  || no "The awk alternative points to $(readlink /etc/alternatives/awk) (update-alternatives --display awk)."
val=$(update-alternatives --query awk 2>/dev/null | sed -n 's/^Value: //p')
[ "$val" = /usr/bin/gawk ] || no "update-alternatives --query awk says the selected alternative is '${val:-none}', not /usr/bin/gawk."
[ "$(readlink /usr/bin/nawk)" = /etc/alternatives/nawk ] && [ "$(readlink /etc/alternatives/nawk)" = /usr/bin/gawk ] \
  || no "The awk group's slave link nawk does not point to gawk (update-alternatives --display awk)."

[ "$(sha256sum < /usr/local/bin/traffic-report | cut -d' ' -f1)" = "$REPORT_SHA" ] \
  || no "/usr/local/bin/traffic-report was modified; fix the system, not the script."
head -1 /usr/local/bin/traffic-report | grep -qx '#!/usr/bin/awk -f' || no "traffic-report's interpreter line was changed."

# A fresh log, run as the cron job does, compared with what GNU awk computes.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT; chmod 755 "$tmp"
/usr/bin/gawk -v seed="$RANDOM$RANDOM" 'BEGIN { srand(seed); t = 1718000000 + int(rand()*86400)
  for (i = 0; i < 25; i++) ip[i] = "192.168." int(rand()*8) "." int(1+rand()*250)
  for (i = 0; i < 800; i++) { t += int(rand()*30); print t, ip[int(rand()*rand()*25)], int(rand()*70000), 200, "/x" } }' > "$tmp/t.log"
chmod 644 "$tmp/t.log"
got=$(cd / && timeout 5 runuser -u reports -- /usr/local/bin/traffic-report "$tmp/t.log" 2>&1)
exp=$(/usr/bin/gawk -f /usr/local/bin/traffic-report "$tmp/t.log" 2>&1)
echo "$exp" | grep -q '^traffic report ' || no "Internal: the reference run failed."
[ "$got" = "$exp" ] || no "The traffic report, run as user reports, still fails or prints something else: $(echo "$got" | head -1)"
echo OK
