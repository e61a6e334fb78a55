#!/bin/bash
# 1. ledger: since IPAM-77 the export has a second file, which dnsmasq never loads.
#    addn-hosts may name a directory: every file in it is read.
sed -i 's|^addn-hosts=/etc/dnsmasq.hosts/corp-servers.hosts$|addn-hosts=/etc/dnsmasq.hosts/|' /etc/dnsmasq.d/corp.conf
# 2. billing: the "disabled" cutover override is still read (Debian's dnsmasq reads every
#    file in /etc/dnsmasq.d except *.dpkg-*), so billing gets two addresses.
mkdir -p /root/disabled-dnsmasq && mv /etc/dnsmasq.d/billing-cutover.conf.disabled /root/disabled-dnsmasq/
dnsmasq --test && systemctl restart dnsmasq
sleep 0.5
dig +short billing.corp.internal ledger.corp.internal
