#!/bin/bash
# Build-time PKI: a root CA, the issuing CA in two generations (same name, re-keyed in
# 2025), and the shop's leaf issued by the 2025 one. The CA private keys are destroyed.
set -eu
d=$(mktemp -d); cd "$d"
O="/O=Bramble & Co./OU=Internal PKI"
openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem -days 3650 \
  -subj "$O/CN=Bramble Internal Root CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n' > ca.ext
for gen in 2023 2025; do
  openssl req -new -newkey rsa:2048 -nodes -keyout "int$gen.key" -out "int$gen.csr" \
    -subj "$O/CN=Bramble Internal Issuing CA" 2>/dev/null
  openssl x509 -req -in "int$gen.csr" -CA root.pem -CAkey root.key -CAcreateserial \
    -out "int$gen.pem" -days 1825 -extfile ca.ext 2>/dev/null
done
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:shop.internal\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n' > leaf.ext
openssl req -new -newkey rsa:2048 -nodes -keyout shop.key -out shop.csr \
  -subj "/O=Bramble & Co./CN=shop.internal" 2>/dev/null
openssl x509 -req -in shop.csr -CA int2025.pem -CAkey int2025.key -CAcreateserial \
  -out shop.pem -days 397 -extfile leaf.ext 2>/dev/null
openssl verify -CAfile root.pem -untrusted int2025.pem shop.pem >/dev/null
! openssl verify -CAfile root.pem -untrusted int2023.pem shop.pem >/dev/null 2>&1

# what clients trust
install -m 644 root.pem /etc/ssl/internal-ca.pem
# the PKI team's published CA certificates, DER as downloaded from the PKI portal
install -d -m 755 /srv/pki
openssl x509 -in root.pem -outform DER -out /srv/pki/bramble-root-ca.crt
openssl x509 -in int2023.pem -outform DER -out /srv/pki/bramble-issuing-ca-2023.crt
openssl x509 -in int2025.pem -outform DER -out /srv/pki/bramble-issuing-ca-2025.crt
# the web server's files: the renewed leaf, but the chain still built from the old issuing CA
install -d -m 755 /etc/ssl/shop
install -m 600 shop.key /etc/ssl/shop/shop.internal.key
install -m 644 shop.pem /etc/ssl/shop/shop.internal.crt
install -m 644 int2023.pem /etc/ssl/shop/issuing-ca.pem
cat shop.pem int2023.pem > /etc/ssl/shop/fullchain.pem && chmod 644 /etc/ssl/shop/fullchain.pem
# the check's reference copies
install -d -m 700 /root/.breakfix
install -m 600 root.pem /root/.breakfix/root-ca.pem
openssl pkey -in shop.key -pubout -outform DER | sha256sum | cut -d' ' -f1 > /root/.breakfix/shop-pubkey
sha256sum < root.pem | cut -d' ' -f1 > /root/.breakfix/internal-ca.sha256
chmod 600 /root/.breakfix/*
cd / && rm -rf "$d"
