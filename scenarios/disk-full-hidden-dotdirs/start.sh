#!/bin/bash
# Fill the 32 MB data filesystem: live records (checksummed for the check), a big live
# archive (decoy), and forgotten migration backups + a crash dump in hidden directories.
set -u
D=/srv/data
install -d -m 700 /root/.breakfix
install -d -m 755 -o ingest -g ingest $D/app $D/app/records $D/app/archive $D/app/incoming
rnd() { od -An -N2 -tu2 /dev/urandom | tr -d ' '; }
n=$(( $(rnd) % 10 + 30 ))
for i in $(seq 1 "$n"); do
  head -c $(( 60000 + $(rnd) )) /dev/urandom > "$D/app/records/shop-$(printf %03d "$i").dat"
done
head -c $(( 4000000 + $(rnd) * 8 )) /dev/urandom > $D/app/archive/records-2024.dat
head -c $(( 1200000 + $(rnd) * 4 )) /dev/urandom > $D/app/archive/records-2025-h1.dat
chown -R ingest:ingest $D/app
# checksums of the live data, for the check
(cd $D/app && find records archive -type f -print0 | sort -z | xargs -0 sha256sum) > /root/.breakfix/live.sha256
# forgotten: a pre-migration copy of everything, in a hidden directory...
install -d -m 700 $D/app/.pre-migration-2025-10
head -c $(( 9000000 + $(rnd) * 16 )) /dev/urandom > $D/app/.pre-migration-2025-10/records-full.tar
head -c $(( 2000000 + $(rnd) * 8 )) /dev/urandom > $D/app/.pre-migration-2025-10/records-full.tar.sha256.part
touch -d '2025-10-14 02:10' $D/app/.pre-migration-2025-10/* $D/app/.pre-migration-2025-10
# ...and crash dumps of the old loader; the last one filled the filesystem
install -d -m 755 $D/.crash
head -c 3000000 /dev/urandom > $D/.crash/core.loader.1187
touch -d '2025-10-30 04:41' $D/.crash/core.loader.1187
head -c 40000000 /dev/urandom > $D/.crash/core.loader.2291 2>/dev/null
touch -d '2025-11-02 03:17' $D/.crash/core.loader.2291 $D/.crash
chmod 600 /root/.breakfix/live.sha256
# the ingest loop, as it runs on the real box
: > /var/log/ingest/ingest.log; chown ingest:ingest /var/log/ingest/ingest.log
setsid setpriv --reuid=ingest --regid=ingest --init-groups /opt/ingest/ingest.sh >/dev/null 2>&1 < /dev/null &
sleep 1
exit 0
