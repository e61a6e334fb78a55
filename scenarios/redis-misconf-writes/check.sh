#!/bin/bash
# Solved when Redis (the same process: no data lost) accepts writes again, every key
# that existed at the start is still there with its value, and RDB persistence is
# still on and working into /var/lib/redis.
no() { echo "$1"; echo NO; exit 0; }
want=$(cat /root/.breakfix/redis-data 2>/dev/null); keys=/root/.breakfix/redis-keys
runid=$(cat /root/.breakfix/redis-runid 2>/dev/null)
[ -n "$want" ] && [ -s "$keys" ] || no "The scenario's records are missing; restart the scenario."

systemctl is-active --quiet redis-server || no "redis-server is not running (systemctl status redis-server)."
pid=$(systemctl show -p MainPID --value redis-server)
[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$(readlink -f /usr/bin/redis-server)" ] && tr "\0" " " < "/proc/$pid/cmdline" | grep -q "^/usr/bin/redis-server " || no "redis-server.service does not run /usr/bin/redis-server."
redis-cli ping 2>/dev/null | grep -q PONG || no "redis-cli ping gets no PONG."

cur_runid=$(redis-cli INFO server | sed -n 's/^run_id:\([0-9a-f]*\).*/\1/p')
got=$(xargs redis-cli --raw MGET < "$keys" | sha256sum | cut -d' ' -f1)
if [ "$got" != "$want" ]; then
  [ "$cur_runid" != "$runid" ] && no "Redis was restarted and the sessions written since the last good snapshot are gone (data lost). Restart the scenario and fix it without restarting Redis."
  no "The data set changed: keys that existed at the start are missing or modified."
fi

[ "$(redis-cli CONFIG GET dir | tail -n 1)" = /var/lib/redis ] || no "Redis must keep its snapshots in /var/lib/redis (CONFIG GET dir)."
[ -n "$(redis-cli CONFIG GET save | tail -n 1)" ] || no "RDB snapshots are switched off (CONFIG GET save is empty): persistence must stay enabled."
[ "$(redis-cli CONFIG GET stop-writes-on-bgsave-error | tail -n 1)" = yes ] \
  || no "stop-writes-on-bgsave-error was switched off: that only hides the failing snapshots."
grep -Eq '^[[:space:]]*stop-writes-on-bgsave-error[[:space:]]+no' /etc/redis/redis.conf \
  && no "/etc/redis/redis.conf switches off stop-writes-on-bgsave-error: that only hides the failing snapshots."
grep -Eq '^[[:space:]]*save[[:space:]]+""' /etc/redis/redis.conf \
  && no "/etc/redis/redis.conf switches snapshots off (save \"\"): persistence must stay enabled."

out=$(redis-cli SET breakfix:check "$$" 2>&1)
[ "$out" = OK ] || no "A write still fails: $out"
[ "$(redis-cli GET breakfix:check)" = "$$" ] || no "A key written now cannot be read back."
redis-cli DEL breakfix:check >/dev/null

# a snapshot must work now, as the redis user, into /var/lib/redis
before=$(redis-cli LASTSAVE)
redis-cli BGSAVE >/dev/null 2>&1
for _ in $(seq 1 40); do
  redis-cli INFO persistence | grep -q 'rdb_bgsave_in_progress:0' && [ "$(redis-cli LASTSAVE)" != "$before" ] && break
  sleep 0.1
done
redis-cli INFO persistence | grep -q 'rdb_last_bgsave_status:ok' \
  || no "BGSAVE still fails (sudo tail /var/log/redis/redis-server.log)."
[ "$(stat -c %U /var/lib/redis/dump.rdb 2>/dev/null)" = redis ] || no "/var/lib/redis/dump.rdb was not written by the redis user."
echo OK
