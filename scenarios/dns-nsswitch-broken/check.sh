#!/bin/bash
# Solved when db.internal and cache.internal resolve (through the normal NSS path) to the
# addresses start.sh chose, and the db status page is reachable by name.
verdict() { [ -n "$1" ] && echo "$1"; echo "$2"; exit 0; }
S=/var/lib/breakfix-state/dns-nsswitch-broken
[ -r "$S" ] || verdict "Internal: the scenario state is missing (was start.sh run?)." NO
read -r dbip cacheip token < "$S"

got=$(timeout 3 getent hosts db.internal | awk '{print $1; exit}')
[ -n "$got" ] || verdict "db.internal does not resolve (getent hosts db.internal)." NO
[ "$got" = "$dbip" ] || verdict "db.internal resolves to $got, which is not where the database API listens." NO
got=$(timeout 3 getent hosts cache.internal | awk '{print $1; exit}')
[ -n "$got" ] || verdict "cache.internal does not resolve (getent hosts cache.internal)." NO
[ "$got" = "$cacheip" ] || verdict "cache.internal resolves to $got, which is not where the cache listens." NO

page=$(curl -s --max-time 3 http://db.internal:8080/ 2>/dev/null)
grep -qx "instance-token: $token" <<<"$page" \
  || verdict "db.internal resolves, but http://db.internal:8080/ does not return the database API's status page." NO
verdict "" OK
