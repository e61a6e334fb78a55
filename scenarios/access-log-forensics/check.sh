#!/bin/bash
# Compares /home/admin/answer.txt with the salted hash that start.sh stored.
STATE=/var/lib/breakfix-state/access-log-forensics
ANS=/home/admin/answer.txt

verdict() { [ -n "$1" ] && echo "$1"; echo "$2"; exit 0; }

[ -r "$STATE" ] || verdict "Internal: the scenario state is missing (was start.sh run?)." NO
read -r salt hash < "$STATE"
[ -n "${salt:-}" ] && [ -n "${hash:-}" ] || verdict "Internal: the scenario state is unreadable." NO

[ -f "$ANS" ] || verdict "There is no /home/admin/answer.txt yet: write the attacker's IP address into it." NO
# tokens of the file, tolerant of CRLF, blank lines and leading/trailing spaces
mapfile -t tokens < <(tr -d '\r' < "$ANS" | tr -s '[:space:]' '\n' | sed '/^$/d')
[ "${#tokens[@]}" -ge 1 ] || verdict "/home/admin/answer.txt is empty: write the attacker's IP address into it." NO
[ "${#tokens[@]}" -eq 1 ] || verdict "/home/admin/answer.txt should contain only the IP address, nothing else." NO

got=$(printf '%s%s' "$salt" "${tokens[0]}" | sha256sum | cut -d' ' -f1)
[ "$got" = "$hash" ] || verdict "${tokens[0]} is not the address that sent the most POST /wp-login.php requests." NO
verdict "" OK
