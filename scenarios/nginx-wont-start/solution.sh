#!/bin/bash
# The WEB-318 change left "expires 7d" without its ';'. Add it, test, restart.
sed -i -E 's/^([[:space:]]*expires[[:space:]]+7d)[[:space:]]*$/\1;/' /etc/nginx/sites-available/shop
nginx -t && systemctl restart nginx && systemctl is-active nginx
