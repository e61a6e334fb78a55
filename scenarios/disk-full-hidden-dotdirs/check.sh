#!/bin/bash
# Solved when /srv/data is below 50 % used, every live record and archive file is intact,
# and the ingest user can store a new batch.
no() { echo "$1"; echo NO; exit 0; }
S=/root/.breakfix/live.sha256
[ -s "$S" ] || no "The scenario's records are missing; restart the scenario."
mountpoint -q /srv/data || no "/srv/data is no longer the data filesystem."
if ! (cd /srv/data/app 2>/dev/null && sha256sum --quiet -c "$S" >/dev/null 2>&1); then
  bad=$(cd /srv/data/app 2>/dev/null && sha256sum -c "$S" 2>/dev/null | grep -v ': OK$' | cut -d: -f1 | head -3 | tr '\n' ' ')
  no "Live data was deleted or changed (${bad:-under records/ or archive/}): those files must stay as they are."
fi
use=$(df --output=pcent /srv/data | tail -1 | tr -dc 0-9)
[ "$use" -lt 50 ] || no "/srv/data is still ${use}% full; it should be below 50%."
t=/srv/data/app/incoming/.breakfix-check.$$
if ! setpriv --reuid=ingest --regid=ingest --init-groups sh -c "head -c 2097152 /dev/zero > $t" 2>/dev/null; then
  rm -f "$t"; no "The ingest user still cannot write 2 MB into /srv/data/app/incoming."
fi
rm -f "$t"
echo OK
