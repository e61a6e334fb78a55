#!/bin/bash
# Solved when the local exporter (127.0.0.1) gets the live feed from invfeed through
# nginx on :8080, while both access controls still keep everybody else out: nginx answers
# 403 to another source address, and tcpd refuses a direct connection from it.
# (All of 127.0.0.0/8 is on lo, so curl --interface 127.0.0.9 is "another host".)
no() { echo "$1"; echo NO; exit 0; }
SHA=23871bbaff49ad43f622bdadab006a69543c1f35127c581fd25514ffc84389f0
tok=$(cat /root/.breakfix/feed-batch 2>/dev/null)
[ -n "$tok" ] || no "The scenario's records are missing; restart the scenario."

[ "$(sha256sum < /usr/local/sbin/invfeed | cut -d' ' -f1)" = "$SHA" ] || no "/usr/local/sbin/invfeed was modified; the daemon is fine, leave it as it is."
grep -q ",$tok\$" /srv/inventory/feed.csv || no "/srv/inventory/feed.csv was changed; leave the feed data alone."
systemctl is-active --quiet nginx || no "nginx is not running (systemctl status nginx)."
systemctl is-active --quiet inetd || no "inetd is not running (systemctl status inetd)."
for p in $(ss -ltnpH 'sport = :6767' | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do
  [ "$(readlink /proc/"$p"/exe)" = /usr/sbin/inetd ] || no "Port 6767 must be served by inetd (it is held by $(ps -o comm= -p "$p"))."
done
ss -ltnH 'sport = :6767' | grep -q . || no "Nothing listens on port 6767: the feed daemon is started by inetd."
grep -Eq '^[^#]*6767.*/usr/sbin/tcpd[[:space:]]+/usr/local/sbin/invfeed' /etc/inetd.conf \
  || no "inetd must keep starting invfeed through tcpd (/usr/sbin/tcpd /usr/local/sbin/invfeed)."

out=$(curl -s -m 4 -w '\n%{http_code}' http://127.0.0.1:8080/feed/)
code=$(echo "$out" | tail -n 1)
[ "$code" = 000 ] && no "curl http://127.0.0.1:8080/feed/ gets no answer within 4 seconds (sudo tail /var/log/nginx/feed.error.log)."
[ "$code" = 200 ] || no "curl http://127.0.0.1:8080/feed/ gets HTTP $code (sudo tail /var/log/nginx/feed.error.log)."
echo "$out" | grep -q ",$tok\$" || no "/feed/ answers 200, but not with the stock feed."
gen=$(echo "$out" | sed -n 's/^# inventory feed generated \([0-9]*\) by invfeed\[[0-9]*\]$/\1/p')
now=$(date +%s)
[ -n "$gen" ] && [ $((now - gen)) -le 5 ] && [ $((gen - now)) -le 5 ] \
  || no "/feed/ must be generated live by invfeed (through inetd), not served from a file."

code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' --interface 127.0.0.9 http://127.0.0.1:8080/feed/)
[ "$code" = 403 ] || no "A client from another address (curl --interface 127.0.0.9) gets HTTP $code from /feed/ instead of 403: nginx must still allow only 127.0.0.1 and 10.20.30.40."
direct=$(curl -s -m 2 --interface 127.0.0.9 http://127.0.0.1:6767/ 2>/dev/null)
echo "$direct" | grep -q ",$tok\$" && no "invfeed answers a direct connection from 127.0.0.9 on port 6767: tcpd must still refuse everyone but 127.0.0.1 and 10.20.30.40."
echo OK
