#!/bin/bash
# Count POST /wp-login.php requests per client IP (request field only) and write the top one.
set -u
top=$(awk -F'"' '$2 ~ /^POST \/wp-login\.php[ ?]/ { split($1, f, " "); n[f[1]]++ }
                 END { for (ip in n) print n[ip], ip }' /var/log/nginx/access.log \
      | sort -rn | head -1 | awk '{print $2}')
echo "$top" > /home/admin/answer.txt
chown admin:admin /home/admin/answer.txt
cat /home/admin/answer.txt
