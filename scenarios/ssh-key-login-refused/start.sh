#!/bin/bash
# admin's deploy key (fresh per session) in deploy's authorized_keys, then the
# "permission cleanup" that broke it.
set -u
STATE=/var/lib/breakfix-state
install -d -m 700 "$STATE"
install -d -o admin -g admin -m 700 /home/admin/.ssh
rm -f /home/admin/.ssh/id_ed25519 /home/admin/.ssh/id_ed25519.pub
runuser -u admin -- ssh-keygen -q -t ed25519 -N '' -C "admin@ops-deploy" -f /home/admin/.ssh/id_ed25519
ssh-keygen -lf /home/admin/.ssh/id_ed25519.pub | awk '{print $2}' > "$STATE/ssh-deploy-fpr"
chmod 600 "$STATE/ssh-deploy-fpr"

install -d -o deploy -g deploy -m 700 /home/deploy/.ssh
{
  echo "# deploy keys, see SEC-118"
  cat /home/admin/.ssh/id_ed25519.pub
} > /home/deploy/.ssh/authorized_keys
# the breakage: a recursive "fix" of a shared-folder problem, plus a root-owned copy
chmod 775 /home/deploy
chmod 777 /home/deploy/.ssh
chown root:root /home/deploy/.ssh/authorized_keys && chmod 600 /home/deploy/.ssh/authorized_keys
chmod 644 /home/admin/.ssh/id_ed25519
systemctl restart ssh
for _ in $(seq 1 30); do ss -ltn 'sport = :2222' | grep -q LISTEN && break; sleep 0.1; done
# the failed attempts of the deploy job
runuser -u admin -- ssh -n -o BatchMode=yes -o StrictHostKeyChecking=accept-new -p 2222 deploy@127.0.0.1 true >/dev/null 2>&1
chmod 600 /home/admin/.ssh/id_ed25519
runuser -u admin -- ssh -n -o BatchMode=yes -p 2222 deploy@127.0.0.1 true >/dev/null 2>&1
chmod 644 /home/admin/.ssh/id_ed25519
exit 0
