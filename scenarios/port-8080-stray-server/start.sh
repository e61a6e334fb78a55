#!/bin/bash
# A fresh build id in the catalog page (only nginx serving /var/www/catalog can show it),
# then the boot race as it happened: the preview server gets 8080 first, nginx fails.
set -u
install -d -m 700 /root/.breakfix
build=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
echo "$build" > /root/.breakfix/catalog-build && chmod 600 /root/.breakfix/catalog-build
sed -i "s/^<p>Build: .*<\/p>$/<p>Build: $build<\/p>/" /var/www/catalog/index.html
systemctl stop nginx
systemctl restart docs-preview
for _ in $(seq 1 50); do ss -ltnH 'sport = :8080' | grep -q . && break; sleep 0.1; done
systemctl start nginx >/dev/null 2>&1
exit 0
