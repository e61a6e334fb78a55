#!/bin/bash
# 1. nginx: allow/deny rules are checked in order and the first match wins; the
#    "allow 127.0.0.1" after "deny all" is never reached. Move it up.
sed -i '/^[[:space:]]*# OPS-2290/d; /^[[:space:]]*allow 127\.0\.0\.1;/d' /etc/nginx/sites-available/feed-gateway
sed -i 's/^\([[:space:]]*\)allow 10\.20\.30\.40;/\1allow 10.20.30.40;\n\1allow 127.0.0.1;     # OPS-2290: the local stock exporter/' /etc/nginx/sites-available/feed-gateway
nginx -t && systemctl reload nginx
# 2. tcpd matches the daemon's process name (basename of the program: invfeed),
#    not a service name; "inventory-feed" matches nothing, so hosts.deny ALL: ALL wins.
sed -i 's/^inventory-feed:/invfeed:/' /etc/hosts.allow
curl -s http://127.0.0.1:8080/feed/
