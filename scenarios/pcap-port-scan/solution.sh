#!/bin/bash
# A vertical port scan = one source sending connection attempts (SYN without ACK) to many
# different ports of one host. Count distinct destination ports per source.
P=/var/log/capture/edge-2024-06-01.pcap
tcpdump -nn -r "$P" 'tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn' 2>/dev/null \
  | awk '{ split($3, s, "."); src = s[1] "." s[2] "." s[3] "." s[4]
           d = $5; sub(/:$/, "", d); n = split(d, x, "."); dst = x[1] "." x[2] "." x[3] "." x[4]
           if (!seen[src, dst, x[5]]++) ports[src " -> " dst]++ }
         END { for (k in ports) print ports[k], k }' \
  | sort -rn | head -5
top=$(tcpdump -nn -r "$P" 'tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn' 2>/dev/null \
  | awk '{ split($3, s, "."); src = s[1] "." s[2] "." s[3] "." s[4]; d = $5; sub(/:$/, "", d)
           n = split(d, x, "."); if (!seen[src, x[5]]++) c[src]++ } END { for (k in c) print c[k], k }' \
  | sort -rn | head -1 | awk '{print $2}')
echo "$top" > /home/admin/scanner.txt
chown admin:admin /home/admin/scanner.txt
cat /home/admin/scanner.txt
