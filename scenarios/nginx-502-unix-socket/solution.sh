#!/bin/bash
# 1. nginx still points at the socket path from before OPS-1187.
sed -i 's#unix:/run/orders-api\.sock;#unix:/run/orders-api/api.sock;#' /etc/nginx/sites-available/orders
# 2. The socket (0770) and its directory (0750) belong to app:app; let nginx's
#    workers (www-data) in through the group instead of opening it to everyone.
usermod -aG app www-data
# 3. Workers pick up the new group on (re)start.
nginx -t && systemctl restart nginx
curl -s http://localhost/api/health
