#!/bin/bash
# Loads randomised session data into Redis, snapshots part of it, then breaks the
# snapshot directory (a "restore test" done as root) so that the next BGSAVE fails
# and Redis refuses writes with MISCONF. Keys written after the last good snapshot
# exist only in memory: restarting Redis would lose them.
set -u
install -d -m 700 /root/.breakfix
for _ in $(seq 1 50); do redis-cli ping 2>/dev/null | grep -q PONG && break; sleep 0.2; done
rand() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

{
  for i in $(seq 1 120); do
    printf 'SET session:%s "%s"\n' "$(rand 6)" "user=$((RANDOM % 9000 + 1000)) cart=$(rand 4)"
  done
  printf 'SET orders:last_id %d\n' $((RANDOM * 7 + 100000))
} | redis-cli > /dev/null
redis-cli BGSAVE > /dev/null
for _ in $(seq 1 50); do redis-cli INFO persistence | grep -q 'rdb_bgsave_in_progress:0' && break; sleep 0.1; done
sleep 0.3

# the "restore test": copy the snapshot back as root, directory now root's
cp -a /var/lib/redis/dump.rdb /tmp/dump.rdb.restore
chown root:root /var/lib/redis /tmp/dump.rdb.restore
chmod 755 /var/lib/redis
cp /tmp/dump.rdb.restore /var/lib/redis/dump.rdb && rm -f /tmp/dump.rdb.restore
chmod 644 /var/lib/redis/dump.rdb

# more traffic after the last good snapshot: in memory only
{
  for i in $(seq 1 80); do
    printf 'SET session:%s "%s"\n' "$(rand 6)" "user=$((RANDOM % 9000 + 1000)) cart=$(rand 4)"
  done
  printf 'INCRBY orders:last_id %d\n' $((RANDOM % 50 + 20))
} | redis-cli > /dev/null
redis-cli BGSAVE > /dev/null
for _ in $(seq 1 50); do redis-cli INFO persistence | grep -q 'rdb_last_bgsave_status:err' && break; sleep 0.1; done

# fingerprint of the whole data set, and the server's identity
redis-cli --scan | sort > /root/.breakfix/redis-keys
xargs redis-cli --raw MGET < /root/.breakfix/redis-keys | sha256sum | cut -d' ' -f1 > /root/.breakfix/redis-data
redis-cli INFO server | sed -n 's/^run_id:\([0-9a-f]*\).*/\1/p' > /root/.breakfix/redis-runid
chmod 600 /root/.breakfix/redis-*

# the application tries to store a session and gets MISCONF
redis-cli SET session:healthcheck ok >/dev/null 2>&1
exit 0
