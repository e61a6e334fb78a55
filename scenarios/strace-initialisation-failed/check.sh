#!/bin/bash
# Solved when the unmodified nightly-export runs as exporter and writes its export to
# /var/spool/nightly-export/out with this session's licence, without opening the licence
# to every user or the spool to the world.
no() { echo "$1"; echo NO; exit 0; }
S=/var/lib/breakfix-state
key=$(cat $S/nightly-export-key 2>/dev/null); sha=$(cat $S/nightly-export.sha256 2>/dev/null)
[ -n "$key" ] && [ -n "$sha" ] || no "The scenario's records are missing; restart the scenario."
BIN=/usr/local/bin/nightly-export
[ "$(sha256sum < $BIN 2>/dev/null | cut -d' ' -f1)" = "$sha" ] || no "$BIN was modified or replaced; fix what it needs, not the program."

uid=$(id -u exporter 2>/dev/null) || no "The user exporter is missing."
[ "$uid" != 0 ] || no "exporter must not be root."
for g in root sudo shadow disk; do
  id -nG exporter | tr ' ' '\n' | grep -qx "$g" && no "exporter must not be in the group $g."
done

out=$(cd / && timeout 5 runuser -u exporter -- env HOME=/var/lib/nightly-export $BIN 2>&1); rc=$?
[ $rc -eq 0 ] || no "As user exporter, nightly-export still fails: $(echo "$out" | tail -1)"
echo "$out" | grep -q "licence $key)" || no "nightly-export ran, but not with this box's licence in /etc/nightly-export/license.key."
f=$(echo "$out" | sed -n 's#.* to \(/var/spool/nightly-export/out/export-[0-9]*\.csv\) (licence.*#\1#p')
[ -n "$f" ] || no "nightly-export must keep writing to /var/spool/nightly-export/out (the finance team's pickup folder): $(echo "$out" | tail -1)"
[ -f "$f" ] && [ "$(stat -c %U "$f")" = exporter ] && [ "$(grep -c '^INV-' "$f")" -gt 0 ] || no "The export file $f was not written."

if setpriv --reuid=nobody --regid=nogroup --clear-groups cat /etc/nightly-export/license.key >/dev/null 2>&1; then
  no "Every local user can read /etc/nightly-export/license.key now: give exporter access, not the world."
fi
for d in /var/spool/nightly-export /var/spool/nightly-export/out /etc/nightly-export/license.key; do
  m=$(stat -c %a "$d"); [ $(( 8#$m & 8#002 )) -eq 0 ] || no "$d is writable by everyone (mode $m)."
done
echo OK
