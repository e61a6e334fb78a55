#!/bin/bash
# Solved when appuser can log in to appdb over TCP on localhost with its
# password, the orders are intact (row count + checksum from session start),
# and a wrong password is still refused (no trust / wide-open auth).
no() { echo "$1"; echo NO; exit 0; }
export PGCONNECT_TIMEOUT=3 PGSSLMODE=prefer
unset PGPASSFILE
cd / || true

read -r pw count sum < /root/.breakfix/pg-orders 2>/dev/null
[ -n "${sum:-}" ] || no "The scenario's records are missing; restart the scenario."

systemctl is-active --quiet postgresql@15-main || no "PostgreSQL (postgresql@15-main) is not running: systemctl status postgresql@15-main."

q="SELECT count(*) || ' ' || md5(string_agg(o::text, '|' ORDER BY id)) FROM orders o"
out=$(PGPASSWORD="$pw" HOME=/nonexistent psql -X -At -w -h localhost -p 5432 -U appuser -d appdb -c "$q" 2>&1)
if [ $? -ne 0 ]; then
  err=$(echo "$out" | grep -v '^\s*$' | head -n 1 | sed 's/^psql: error: //')
  no "appuser still cannot connect to appdb on localhost: ${err:-no answer}"
fi
got_count=${out%% *}
got_sum=${out##* }
[ "$got_count" = "$count" ] || no "appuser can connect, but orders has $got_count rows instead of $count: the data must stay intact."
[ "$got_sum" = "$sum" ] || no "appuser can connect, but the rows of orders were changed: the data must stay intact."

# A wrong password must still be refused, over TCP and over the socket.
bad="wrong-$RANDOM$RANDOM"
for host in 127.0.0.1 ::1 localhost; do
  for user in appuser postgres; do
    if PGPASSWORD="$bad" HOME=/nonexistent psql -X -At -w -h "$host" -U "$user" -d appdb -c 'SELECT 1' >/dev/null 2>&1; then
      no "A wrong password logs in as $user over TCP ($host): authentication is wide open (trust?). Require passwords."
    fi
  done
done
for user in appuser postgres; do
  if PGPASSWORD="$bad" HOME=/tmp setpriv --reuid=nobody --regid=nogroup --clear-groups \
       psql -X -At -w -h /var/run/postgresql -U "$user" -d appdb -c 'SELECT 1' >/dev/null 2>&1; then
    no "Any local user can log in as $user over the unix socket with a wrong password (trust?)."
  fi
done
# ...and SEC-2207 still holds: either only loopback listens, or other addresses are rejected.
listen=$(runuser -u postgres -- psql -X -At -c 'SHOW listen_addresses' 2>/dev/null)
outside=
IFS=',' read -ra addrs <<< "$listen"
for a in "${addrs[@]}"; do
  a=$(echo "$a" | tr -d ' ')
  case "$a" in localhost|127.0.0.1|::1|'') ;; *) outside=1 ;; esac
done
if [ -n "$outside" ]; then
  rejects=$(runuser -u postgres -- psql -X -At -c "SELECT count(*) FROM pg_hba_file_rules
      WHERE type = 'host' AND auth_method = 'reject' AND 'all' = ANY(database) AND 'all' = ANY(user_name)
        AND address IN ('0.0.0.0', '::') AND netmask IN ('0.0.0.0', '::')" 2>/dev/null)
  [ "${rejects:-0}" -ge 1 ] \
    || no "PostgreSQL listens on '$listen' and no pg_hba.conf rule rejects other hosts: SEC-2207 (no access from the network) is undone."
fi
echo OK
