#!/bin/bash
# The snapshot directory was handed to root; give it back to redis and snapshot
# again, without restarting Redis (keys since the last good snapshot are in memory only).
tail -n 3 /var/log/redis/redis-server.log
chown redis:redis /var/lib/redis /var/lib/redis/dump.rdb
chmod 750 /var/lib/redis
chmod 660 /var/lib/redis/dump.rdb
redis-cli BGSAVE
for _ in $(seq 1 50); do redis-cli INFO persistence | grep -q 'rdb_bgsave_in_progress:0' && break; sleep 0.1; done
redis-cli INFO persistence | grep rdb_last_bgsave_status
redis-cli SET session:healthcheck ok
