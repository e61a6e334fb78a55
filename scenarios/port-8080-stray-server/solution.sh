#!/bin/bash
systemctl status nginx --no-pager | tail -n 5
ss -ltnp 'sport = :8080'
pid=$(ss -ltnpH 'sport = :8080' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
systemctl status "$pid" --no-pager | head -n 3       # which unit owns that PID
systemctl disable --now docs-preview
systemctl restart nginx
curl -s http://localhost:8080/ | grep Build
