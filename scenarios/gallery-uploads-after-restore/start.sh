#!/bin/bash
# The upload tree as it came back from the old server's backup: ownership restored as
# numbers (the old server's gallery was uid/gid 1001, which is deploy here) and the
# directories' special bits lost. Checksums of every photo are kept for the check.
set -u
install -d -m 700 /root/.breakfix
U=/srv/gallery/uploads
rm -rf $U; mkdir -p $U/.incoming
rnd() { od -An -N2 -tu2 /dev/urandom | tr -d ' '; }
for back in $(seq 13 -1 0); do
  m=$(date -d "$(date +%Y-%m-15) -$back month" +%Y/%m)
  mkdir -p "$U/$m"
  for _ in $(seq 1 $(( $(rnd) % 10 + 4 ))); do
    head -c $(( $(rnd) % 20000 + 2000 )) /dev/urandom > "$U/$m/IMG_$(( $(rnd) % 9000 + 1000 ))_$(rnd).jpg"
  done
  touch -d "$(date -d "$(date +%Y-%m-15) -$back month" +%F)" "$U/$m"/*
done
(cd $U && find . -path ./.incoming -prune -o -type f -print0 | sort -z | xargs -0 sha256sum) > /root/.breakfix/uploads.sha256
chmod 600 /root/.breakfix/uploads.sha256
# what the restore left behind
chown -R 1001:1001 $U
find $U -type d -exec chmod 0755 {} +
find $U -type f -exec chmod 0640 {} +
systemctl restart gallery
sleep 1
# the first failed uploads of the day
for i in 1 2; do curl -s -o /dev/null -m 3 -T /etc/hostname "http://127.0.0.1:8080/upload/IMG_test$i.jpg"; done
exit 0
