#!/bin/bash
# 1. Put "files" back in front of "dns" for host lookups (nsswitch.conf is a normal file).
# 2. Fix the typo in /etc/hosts. It is a bind mount: sed -i would fail with "Device or
#    resource busy" (it renames a new file over it), so write the result back in place.
set -u
sed -E 's/^hosts:.*/hosts:          files dns/' /etc/nsswitch.conf > /tmp/nsswitch.new \
  && cat /tmp/nsswitch.new > /etc/nsswitch.conf && rm -f /tmp/nsswitch.new
sed -E 's/(^|[[:space:]])db\.interna1([[:space:]]|$)/\1db.internal\2/' /etc/hosts > /tmp/hosts.new \
  && cat /tmp/hosts.new > /etc/hosts && rm -f /tmp/hosts.new
grep '^hosts:' /etc/nsswitch.conf
getent hosts db.internal cache.internal
/usr/local/bin/app-healthcheck
