#!/bin/bash
# A fresh node id per session: only the real pushgw, reading the real env file, reports it.
set -u
id=pgw-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
sed -i "s/^PUSHGW_NODE_ID=.*/PUSHGW_NODE_ID=$id/" /etc/pushgw/pushgw.env
install -d -m 700 /root/.breakfix
echo "$id" > /root/.breakfix/pushgw-node && chmod 600 /root/.breakfix/pushgw-node
systemctl restart pushgw
sleep 1
exit 0
