#!/bin/bash
# Compares /home/admin/scanner.txt with the salted hash that start.sh stored.
STATE=/var/lib/breakfix-state/pcap-port-scan
ANS=/home/admin/scanner.txt
verdict() { [ -n "$1" ] && echo "$1"; echo "$2"; exit 0; }

[ -r "$STATE" ] || verdict "Internal: the scenario state is missing (was start.sh run?)." NO
read -r salt hash < "$STATE"
[ -n "${salt:-}" ] && [ -n "${hash:-}" ] || verdict "Internal: the scenario state is unreadable." NO
[ -f "$ANS" ] || verdict "There is no /home/admin/scanner.txt yet: write the scanning host's IP address into it." NO
mapfile -t tokens < <(tr -d '\r' < "$ANS" | tr -s '[:space:]' '\n' | sed '/^$/d')
[ "${#tokens[@]}" -ge 1 ] || verdict "/home/admin/scanner.txt is empty: write the scanning host's IP address into it." NO
[ "${#tokens[@]}" -eq 1 ] || verdict "/home/admin/scanner.txt should contain only one IP address, nothing else." NO
got=$(printf '%s%s' "$salt" "${tokens[0]}" | sha256sum | cut -d' ' -f1)
[ "$got" = "$hash" ] || verdict "${tokens[0]} is not the host that port-scanned a server in this capture." NO
verdict "" OK
