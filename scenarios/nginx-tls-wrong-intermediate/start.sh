#!/bin/bash
# shop.internal points to this box; the page gets a fresh reference only nginx serving
# /var/www/shop can show.
set -u
install -d -m 700 /root/.breakfix
ref=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
echo "$ref" > /root/.breakfix/shop-ref && chmod 600 /root/.breakfix/shop-ref
sed -i "s/^<p>Order ref: .*<\/p>$/<p>Order ref: $ref<\/p>/" /var/www/shop/index.html
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.0.1\tshop.internal\n' > /etc/hosts
systemctl restart nginx
exit 0
