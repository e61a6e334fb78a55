#!/bin/bash
# client side: ssh ignores a private key that others can read
chmod 600 /home/admin/.ssh/id_ed25519
# server side: StrictModes wants home and ~/.ssh not writable by group/others,
# and sshd reads authorized_keys as the user, so deploy must be able to read it.
journalctl -u ssh --no-pager | tail -5
chmod 755 /home/deploy
chmod 700 /home/deploy/.ssh
chown deploy:deploy /home/deploy/.ssh/authorized_keys
chmod 600 /home/deploy/.ssh/authorized_keys
runuser -u admin -- ssh -n -o BatchMode=yes -p 2222 deploy@127.0.0.1 id
