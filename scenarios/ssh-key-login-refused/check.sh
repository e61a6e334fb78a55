#!/bin/bash
# Solved when admin can log in as deploy on port 2222 with the original key pair,
# non-interactively, while sshd keeps its hardening (StrictModes, keys only).
no() { echo "$1"; echo NO; exit 0; }
fpr=$(cat /var/lib/breakfix-state/ssh-deploy-fpr 2>/dev/null)
[ -n "$fpr" ] || no "The scenario's records are missing; restart the scenario."

systemctl is-active --quiet ssh || no "sshd is not running (systemctl status ssh)."
T=$(sshd -T -C user=deploy,host=localhost,addr=127.0.0.1 2>/dev/null) || no "sshd -T fails: the sshd configuration is broken."
get() { echo "$T" | awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }'; }
[ "$(get port)" = 2222 ] || no "sshd must keep listening on port 2222 only (sshd -T | grep ^port)."
[ "$(get strictmodes)" = yes ] || no "StrictModes must stay enabled: fix the permissions, not sshd's checks."
[ "$(get passwordauthentication)" = no ] || no "PasswordAuthentication must stay disabled (SEC-118: keys only)."
[ "$(get kbdinteractiveauthentication)" = no ] || no "KbdInteractiveAuthentication must stay disabled (SEC-118: keys only)."
[ "$(get pubkeyauthentication)" = yes ] || no "PubkeyAuthentication must stay enabled."
[ "$(get authorizedkeysfile)" = ".ssh/authorized_keys .ssh/authorized_keys2" ] \
  || no "AuthorizedKeysFile was changed; keep deploy's keys in ~deploy/.ssh/authorized_keys."
[ -z "$(get authorizedkeyscommand | grep -v '^none$')" ] || no "AuthorizedKeysCommand must not be used."

key=/home/admin/.ssh/id_ed25519
[ -f "$key" ] && [ -f "$key.pub" ] || no "admin's key pair ~admin/.ssh/id_ed25519 is missing."
[ "$(ssh-keygen -lf "$key.pub" 2>/dev/null | awk '{print $2}')" = "$fpr" ] \
  || no "~admin/.ssh/id_ed25519.pub is not the deploy key this box was set up with; use that key, don't make a new one."
[ "$(stat -c %U "$key")" = admin ] || no "admin's private key must belong to admin."
out=$(cd /home/admin && timeout 8 runuser -u admin -- ssh -n -o BatchMode=yes -o ConnectTimeout=4 \
        -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
        -o IdentitiesOnly=yes -o IdentityAgent=none -i "$key" -p 2222 deploy@127.0.0.1 'id -un' 2>&1 </dev/null)
[ "$(echo "$out" | tail -1)" = deploy ] \
  || no "ssh -p 2222 deploy@127.0.0.1 as admin with ~/.ssh/id_ed25519 still fails: $(echo "$out" | tail -1)"
# world/group-writable is never acceptable, whatever sshd thinks
for d in /home/deploy /home/deploy/.ssh /home/deploy/.ssh/authorized_keys; do
  m=$(stat -c %a "$d" 2>/dev/null) || no "$d is missing."
  [ $(( 8#$m & 8#022 )) -eq 0 ] || no "$d is still writable by group or others (mode $m)."
done

echo OK
