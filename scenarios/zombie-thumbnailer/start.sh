#!/bin/bash
# New instance id, then a burst of upload jobs: thumbd forks one mkthumb per job and
# never reaps them, so each one stays behind as a zombie.
set -u
install -d -m 700 /root/.breakfix
id=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
echo "$id" > /etc/thumbd/instance-id
echo "$id" > /root/.breakfix/thumbd-instance
systemctl restart thumbd
n=$(( $(od -An -N1 -tu1 /dev/urandom) % 40 + 120 ))
for i in $(seq 1 "$n"); do
  echo "/srv/uploads/2025/11/IMG_$((4000 + i)).jpg" > "/var/spool/thumbd/queue/$(printf 'up-%05d' "$i").job"
done
chown thumbd:thumbd /var/spool/thumbd/queue/*.job
for _ in $(seq 1 60); do
  [ -z "$(ls /var/spool/thumbd/queue)" ] && break
  sleep 0.5
done
sleep 1
systemctl show -p MainPID --value backupd > /root/.breakfix/backupd-pid
chmod 600 /root/.breakfix/*
exit 0
