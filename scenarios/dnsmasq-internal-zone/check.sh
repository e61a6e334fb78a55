#!/bin/bash
# Solved when the local dnsmasq (still the resolver of this box, /etc/hosts not used)
# answers billing and ledger with exactly their IPAM addresses, the other names still
# resolve, unknown corp.internal names are still NXDOMAIN, and the answers follow the
# IPAM export when it changes (no hand-made records).
no() { echo "$1"; echo NO; exit 0; }
EXP=/root/.breakfix/dns-expected
[ -s "$EXP" ] || no "The scenario's records are missing; restart the scenario."
q() { dig +short +time=1 +tries=1 @127.0.0.1 "$1" A 2>/dev/null | sort | tr '\n' ' ' | sed 's/ $//'; }

systemctl is-active --quiet dnsmasq || no "dnsmasq is not running (systemctl status dnsmasq)."
pid=$(systemctl show -p MainPID --value dnsmasq)
[ "$(readlink /proc/"$pid"/exe)" = /usr/sbin/dnsmasq ] || no "dnsmasq.service does not run /usr/sbin/dnsmasq."
ss -lunpH 'sport = :53' | grep '127.0.0.1:53' | grep -q "pid=$pid," || no "The dnsmasq of dnsmasq.service does not answer on 127.0.0.1:53 (sudo ss -lunp)."
[ "$(awk '$1 == "nameserver" {print $2; exit}' /etc/resolv.conf)" = 127.0.0.1 ] \
  || no "/etc/resolv.conf must keep 127.0.0.1 (the local dnsmasq) as its first nameserver."
grep -v '^[[:space:]]*#' /etc/hosts | grep -qi 'corp\.internal\|billing\|ledger' \
  && no "/etc/hosts has corp.internal entries: the names must come from the resolver, remove them."

while read -r name addr; do
  got=$(q "$name.corp.internal")
  [ "$got" = "$addr" ] || no "dig @127.0.0.1 $name.corp.internal answers '${got:-nothing}', expected $addr (the address in the IPAM export)."
done < "$EXP"
g=$(getent hosts billing.corp.internal | awk '{print $1}' | sort -u | tr '\n' ' ' | sed 's/ $//')
[ "$g" = "$(awk '$1 == "billing" {print $2}' "$EXP")" ] || no "getent hosts billing.corp.internal gives '${g:-nothing}', not the IPAM address."
rnd=nx-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
dig +time=1 +tries=1 @127.0.0.1 "$rnd.corp.internal" A 2>/dev/null | grep -q 'status: NXDOMAIN' \
  || no "A name that is not in the IPAM export ($rnd.corp.internal) must stay NXDOMAIN."

# the answers must come from the export: renumber billing and ledger there, reload, ask again
moved=""
for name in billing ledger; do
  old=$(awk -v n="$name" '$1 == n {print $2}' "$EXP")
  new="10.43.$((RANDOM % 250 + 2)).$((RANDOM % 250 + 2))"
  files=$(grep -lE "^${old//./\\.}[[:space:]]+(.*[[:space:]])?$name\.corp\.internal([[:space:]]|\$)" /etc/dnsmasq.hosts/*.hosts 2>/dev/null)
  [ -n "$files" ] || no "$name.corp.internal is no longer in the IPAM export files in /etc/dnsmasq.hosts/: don't edit the export by hand."
  for f in $files; do sed -i "s/^${old//./\\.}\([[:space:]]\)/$new\1/" "$f"; done
  sed -i "s/^$name .*/$name $new/" "$EXP"
  moved="$moved $name:$new"
done
systemctl reload dnsmasq
sleep 0.5
for m in $moved; do
  name=${m%%:*}; new=${m#*:}
  got=$(q "$name.corp.internal")
  [ "$got" = "$new" ] || no "After the IPAM export renumbered $name.corp.internal to $new (and a reload), dnsmasq answers '${got:-nothing}': the answer must come from the export, not from a record typed by hand."
done
echo OK
