#!/bin/bash
cd /etc/ssl/shop
curl -sS --cacert /etc/ssl/internal-ca.pem https://shop.internal/ -o /dev/null   # error 60
openssl x509 -in shop.internal.crt -noout -issuer -ext authorityKeyIdentifier
# pick the issuing CA generation whose key signed the leaf (same name, different key)
for f in /srv/pki/bramble-issuing-ca-*.crt; do
  openssl x509 -inform DER -in "$f" -out /tmp/cand.pem
  if openssl verify -CAfile /etc/ssl/internal-ca.pem -untrusted /tmp/cand.pem shop.internal.crt; then
    cp /tmp/cand.pem issuing-ca.pem
  fi
done
cat shop.internal.crt issuing-ca.pem > fullchain.pem
nginx -t && systemctl reload nginx
sleep 1
curl -sS --cacert /etc/ssl/internal-ca.pem https://shop.internal/
