#!/bin/bash
# This session's licence key; then last night's "hardening" and "tmp cleanup".
set -u
STATE=/var/lib/breakfix-state
install -d -m 700 "$STATE"
key="NX-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n' | tr a-f A-F)"
echo "$key" > "$STATE/nightly-export-key" && chmod 600 "$STATE/nightly-export-key"
printf 'LICENSEE=Example Billing GmbH\nKEY=%s\nEXPIRES=2027-12-31\n' "$key" > /etc/nightly-export/license.key
chown root:root /etc/nightly-export/license.key
chmod 600 /etc/nightly-export/license.key
touch -d '-9 hours' /etc/nightly-export/license.key
rm -rf /var/spool/nightly-export/out
exit 0
