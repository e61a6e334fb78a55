#!/bin/bash
# Split on the double quotes: $1 = 'addr - user [time] ', $2 = request, $3 = ' status bytes '.
LC_ALL=C awk -F'"' '
{
    split($1, head, " "); split($3, mid, " ")
    if (mid[1] ~ /^5/) n[head[1] ""]++
}
END {
    found = 0
    for (ip in n) {
        if (!found || n[ip] > bestn || (n[ip] == bestn && ip "" < best "")) { best = ip; bestn = n[ip]; found = 1 }
    }
    if (found) print best, bestn; else print "none"
}'
