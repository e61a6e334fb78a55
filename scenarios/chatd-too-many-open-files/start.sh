#!/bin/bash
# Fresh instance id (only the real chatd greets with it), then let presence-bridge fill
# chatd's tiny fd budget so the journal shows the errors.
set -u
install -d -m 700 /root/.breakfix
id=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
echo "$id" > /etc/chatd/instance-id
echo "$id" > /root/.breakfix/chatd-instance && chmod 600 /root/.breakfix/chatd-instance
systemctl restart chatd
sleep 1
systemctl restart presence-bridge
sleep 6
exit 0
