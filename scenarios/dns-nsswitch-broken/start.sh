#!/bin/bash
# Picks random loopback addresses for db.internal and cache.internal, starts the two
# services on them, and writes /etc/hosts (a Docker bind mount: in-place writes only)
# with a typo in the db entry. The resolver config points at an unreachable DNS server.
set -u
STATE=/var/lib/breakfix-state
mkdir -p "$STATE"; chmod 700 "$STATE"

if [ -s "$STATE/dns-nsswitch-broken" ]; then
  read -r dbip cacheip token < "$STATE/dns-nsswitch-broken"
else
  rnd() { echo $(( $(od -An -N2 -tu2 /dev/urandom) % ($2 - $1 + 1) + $1 )); }
  dbip="127.0.$(rnd 2 250).$(rnd 2 250)"
  while :; do cacheip="127.0.$(rnd 2 250).$(rnd 2 250)"; [ "$cacheip" != "$dbip" ] && break; done
  token=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s %s %s\n' "$dbip" "$cacheip" "$token" > "$STATE/dns-nsswitch-broken"
  chmod 600 "$STATE/dns-nsswitch-broken"
fi

cat > /srv/db-status/index.html <<EOT
db-api: OK
node: db-01 (primary)
schema: 2024.06.1
instance-token: $token
EOT
printf 'cache: PONG\nnode: redis-01\n' > /srv/cache-status/index.html
chmod 644 /srv/db-status/index.html /srv/cache-status/index.html

pkill -f '^busybox httpd' 2>/dev/null
setsid busybox httpd -f -u www-data -p "$dbip:8080" -h /srv/db-status </dev/null >/dev/null 2>&1 &
setsid busybox httpd -f -u www-data -p "$cacheip:6767" -h /srv/cache-status </dev/null >/dev/null 2>&1 &

host=$(hostname)
cat > /etc/hosts <<EOT
127.0.0.1	localhost
127.0.1.1	$host
::1	localhost ip6-localhost ip6-loopback
fe00::0	ip6-localnet
ff00::0	ip6-mcastprefix
ff02::1	ip6-allnodes
ff02::2	ip6-allrouters

# --- shop backends (local test instances), OPS-2291 ---
$dbip	db.interna1 db-01
$cacheip	cache.internal redis-01
EOT

cat > /etc/resolv.conf <<EOT
# corporate resolvers
search corp.example
nameserver 10.53.0.2
nameserver 10.53.0.3
options timeout:2 attempts:1
EOT
sleep 0.5
exit 0
