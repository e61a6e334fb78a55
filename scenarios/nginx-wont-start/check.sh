#!/bin/bash
# Solved when the systemd-managed nginx is running, serves the original shop
# page through the shop site config, and the WEB-318 cache rule still works.
no() { echo "$1"; echo NO; exit 0; }

read -r id sum < /root/.breakfix/nginx-shop 2>/dev/null
[ -n "${sum:-}" ] || no "The scenario's records are missing; restart the scenario."

if ! systemctl is-active --quiet nginx; then
  if curl -s -m 2 -o /dev/null http://localhost/; then
    no "Something answers on port 80, but nginx.service is not active: nginx must run as the systemd service (sudo systemctl start nginx), not started by hand."
  fi
  no "nginx is not running: see 'systemctl status nginx' and 'sudo nginx -t'."
fi
systemctl is-enabled --quiet nginx || no "nginx runs, but is not enabled: it would not come back after a reboot."

headers=$(curl -s -m 3 -o /dev/null -D - http://localhost/ | tr -d '\r')
body_sum=$(curl -s -m 3 http://localhost/ | sha256sum | cut -d' ' -f1)
echo "$headers" | head -n 1 | grep -q ' 200' || no "http://localhost/ does not answer 200 OK."
[ "$body_sum" = "$sum" ] || no "http://localhost/ does not serve the original Bramble & Co. shop page (build $id)."
echo "$headers" | grep -qi '^X-Served-By: shop-frontend' \
  || no "The page is not served by the shop site configuration (no X-Served-By: shop-frontend header)."

css=$(curl -s -m 3 -o /dev/null -D - http://localhost/css/shop.css | tr -d '\r')
echo "$css" | head -n 1 | grep -q ' 200' || no "http://localhost/css/shop.css is not served any more."
echo "$css" | grep -qi '^Cache-Control: max-age=604800' \
  || no "Static assets are no longer cached for 7 days: keep the WEB-318 change, just make it valid."
echo OK
