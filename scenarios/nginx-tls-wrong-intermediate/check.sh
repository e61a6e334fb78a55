#!/bin/bash
# Solved when nginx serves shop.internal over TLS on 443 with the original key, and the
# chain it sends verifies against the internal root CA alone (no -k, no intermediate
# added on the client side), and the page is the real one.
no() { echo "$1"; echo NO; exit 0; }
B=/root/.breakfix
ref=$(cat $B/shop-ref 2>/dev/null); pub=$(cat $B/shop-pubkey 2>/dev/null); casum=$(cat $B/internal-ca.sha256 2>/dev/null)
[ -n "$ref" ] && [ -n "$pub" ] && [ -s $B/root-ca.pem ] || no "The scenario's records are missing; restart the scenario."

[ "$(sha256sum < /etc/ssl/internal-ca.pem | cut -d' ' -f1)" = "$casum" ] \
  || no "/etc/ssl/internal-ca.pem was changed: every client uses it as it is, fix what the server sends instead."
grep -q 'shop.internal' /etc/hosts || no "shop.internal is no longer in /etc/hosts."
systemctl is-active --quiet nginx || no "nginx is not running (sudo nginx -t; systemctl status nginx)."
master=$(systemctl show -p MainPID --value nginx)
[ "$(readlink /proc/"$master"/exe)" = /usr/sbin/nginx ] || no "nginx.service does not run /usr/sbin/nginx."
for p in $(ss -ltnpH 'sport = :443' | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do
  [ "$(readlink /proc/"$p"/exe)" = /usr/sbin/nginx ] || no "Port 443 is held by $(ps -o comm= -p "$p"), not nginx."
done
ss -ltnH 'sport = :443' | grep -q . || no "Nothing listens on port 443."

out=$(timeout 4 openssl s_client -connect 127.0.0.1:443 -servername shop.internal -showcerts \
        -CAfile $B/root-ca.pem -no-CApath -no-CAstore -verify_hostname shop.internal \
        -verify_return_error </dev/null 2>&1)
leaf=$(echo "$out" | awk '/BEGIN CERTIFICATE/{f=1} f{print} /END CERTIFICATE/{exit}')
[ -n "$leaf" ] || no "No TLS certificate on 127.0.0.1:443 for shop.internal: $(echo "$out" | grep -m1 -iE 'error|verify' )"
got=$(echo "$leaf" | openssl x509 -noout -pubkey 2>/dev/null | openssl pkey -pubin -outform DER 2>/dev/null | sha256sum | cut -d' ' -f1)
[ "$got" = "$pub" ] || no "The certificate nginx serves is not the shop.internal certificate with the original key (/etc/ssl/shop/shop.internal.key)."
echo "$out" | grep -q 'Verify return code: 0 (ok)' \
  || no "The chain nginx sends does not verify against the internal root CA: $(echo "$out" | grep -m1 'Verify return code' | sed 's/^ *//')"

page=$(curl -s -m 3 --cacert $B/root-ca.pem https://shop.internal/)
echo "$page" | grep -q "Order ref: $ref" || no "https://shop.internal/ does not return the shop's page from /var/www/shop."
echo OK
