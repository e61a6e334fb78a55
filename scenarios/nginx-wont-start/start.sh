#!/bin/bash
# Give this session's shop page a random build id (so the check can tell the
# real page from anything else) and remember what it must look like.
set -u
id=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
sed -i "s/__BUILD_ID__/$id/" /var/www/shop/index.html
install -d -m 700 /root/.breakfix
echo "$id $(sha256sum < /var/www/shop/index.html | cut -d' ' -f1)" > /root/.breakfix/nginx-shop
chmod 600 /root/.breakfix/nginx-shop
# nginx already failed at boot; make sure it is in that state, not half-started.
systemctl is-active --quiet nginx && systemctl stop nginx
exit 0
