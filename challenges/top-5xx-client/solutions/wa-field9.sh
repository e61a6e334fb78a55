#!/bin/bash
# Plausible bug: the classic `awk '{print $9}'` — the status is field 9 only when the request
# line has exactly three words. Passes the sample.
LC_ALL=C awk '
$9 ~ /^5[0-9][0-9]$/ { n[$1 ""]++ }
END {
    found = 0
    for (ip in n) {
        if (!found || n[ip] > bestn || (n[ip] == bestn && ip "" < best "")) { best = ip; bestn = n[ip]; found = 1 }
    }
    if (found) print best, bestn; else print "none"
}'
