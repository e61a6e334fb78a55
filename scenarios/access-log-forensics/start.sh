#!/bin/bash
# Generates today's nginx access log with randomised actors (so the answer cannot be
# memorised) and keeps only a salted sha256 of the expected answer, in a root-only file.
set -u
umask 022

LOG=/var/log/nginx/access.log
STATE=/var/lib/breakfix-state
mkdir -p /var/log/nginx "$STATE"
chmod 700 "$STATE"

seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' \n')
now=$(date +%s)
tmpans=$(mktemp "$STATE/ans.XXXXXX")

gawk -v seed="$seed" -v now="$now" -v ansfile="$tmpans" '
function ri(lo, hi) { return lo + int(rand() * (hi - lo + 1)) }
function pick(arr, n) { return arr[int(rand() * n) + 1] }
function uniq_ip(a) { if (a in used) return ""; used[a] = 1; return a }
function rip(   a) {
  do { a = uniq_ip(pick(first, nfirst) "." ri(0, 255) "." ri(0, 255) "." ri(1, 254)) } while (a == "")
  return a
}
function rip6(   a) {
  do { a = uniq_ip(sprintf("2a02:%x:%x:%x::%x", ri(4096, 65535), ri(1, 65535), ri(1, 65535), ri(1, 65535))) } while (a == "")
  return a
}
function emit(ip, t, req, st, bytes, ref, ua) {
  printf "%d\t%s - - [%s] \"%s\" %d %d \"%s\" \"%s\"\n", t, ip,
    strftime("%d/%b/%Y:%H:%M:%S +0000", t, 1), req, st, bytes, ref, ua
}
BEGIN {
  srand(seed)
  site = "https://blog.example.com"
  t0 = now - 20 * 3600; t1 = now - 120
  nfirst = split("5 23 31 37 46 51 62 77 78 79 80 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95 98 101 103 109 115 118 125 142 151 154 171 176 178 180 181 183 185 186 188 190 191 193 194 195 196 197 201 212 213 217", first, " ")
  nua = split("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36|Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15|Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0|Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1|Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36|Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0|Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80", ua, "|")
  npage = split("/ /about/ /contact/ /feed/ /category/linux/ /category/devops/ /2024/03/hello-world/ /2024/04/nginx-tuning-notes/ /2024/05/postgres-vacuum-explained/ /2024/05/why-is-my-disk-full/ /2024/06/systemd-timers-vs-cron/ /?s=docker /?s=nginx /page/2/ /tag/bash/", page, " ")
  nasset = split("/wp-content/themes/twentytwentyfour/style.css?ver=1.1 /wp-includes/css/dist/block-library/style.min.css?ver=6.5.2 /wp-includes/js/jquery/jquery.min.js?ver=3.7.1 /wp-includes/js/wp-emoji-release.min.js?ver=6.5.2 /wp-content/uploads/2024/05/diagram.png /wp-content/uploads/2024/04/latency.png /favicon.ico", asset, " ")
  nref = split("-|https://www.google.com/|https://duckduckgo.com/|https://news.ycombinator.com/|https://www.bing.com/|https://t.co/x7Kq2", ref, "|")

  # ordinary readers
  nv = ri(180, 240)
  for (v = 1; v <= nv; v++) {
    ip = (rand() < 0.12) ? rip6() : rip()
    u = pick(ua, nua); t = ri(t0, t1); views = ri(2, 14)
    r = pick(ref, nref)
    for (k = 1; k <= views && t < t1; k++) {
      p = pick(page, npage)
      st = 200; b = ri(9000, 48000)
      if (p ~ /\?s=/ && rand() < 0.08) { st = 502; b = 166 }
      else if (rand() < 0.03) { p = "/2023/11/old-post-that-moved/"; st = 404; b = ri(5100, 5400) }
      emit(ip, t, "GET " p " HTTP/1.1", st, b, r, u)
      na = (k == 1) ? ri(2, 6) : ri(0, 2)
      for (j = 1; j <= na; j++) {
        a = pick(asset, nasset)
        if (a == "/favicon.ico") { st = 404; b = 153 } else if (k > 1) { st = 304; b = 0 } else { st = 200; b = ri(1200, 90000) }
        emit(ip, t + ri(0, 2), "GET " a " HTTP/1.1", st, b, site p, u)
      }
      r = site p; t += ri(8, 240)
    }
  }

  # search-engine crawlers: the busiest clients overall
  crawler = uniq_ip("66.249." ri(64, 79) "." ri(1, 254))
  n = ri(1000, 1300)
  for (k = 1; k <= n; k++) {
    p = (rand() < 0.7) ? pick(page, npage) : "/2024/0" ri(1, 6) "/post-" ri(100, 999) "/"
    st = (rand() < 0.9) ? 200 : 301
    emit(crawler, ri(t0, t1), "GET " p " HTTP/1.1", st, (st == 200 ? ri(9000, 48000) : 169), "-",
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
  }
  bing = uniq_ip("40.77." ri(160, 191) "." ri(1, 254))
  n = ri(250, 400)
  for (k = 1; k <= n; k++)
    emit(bing, ri(t0, t1), "GET " pick(page, npage) " HTTP/1.1", 200, ri(9000, 48000), "-",
      "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)")

  # vulnerability scanner: the most 404s, pokes at wp-login.php only with GET
  scanner = rip()
  nprobe = split("/.env /.git/config /.git/HEAD /phpmyadmin/ /pma/ /admin.php /config.php.bak /wp-config.php.bak /wp-config.php~ /backup.zip /backup.sql /db.sql /.aws/credentials /server-status /vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php /cgi-bin/luci /actuator/health /solr/admin/info/system /owa/auth/logon.aspx /boaform/admin/formLogin /.DS_Store /wp-content/plugins/revslider/readme.txt /wp-content/debug.log /xmlrpc.php?rsd /.svn/entries", probe, " ")
  t = ri(t0, t1 - 3600); n = ri(700, 850)
  for (k = 1; k <= n; k++) {
    p = pick(probe, nprobe)
    if (k > nprobe && rand() < 0.6) p = p "?" ri(1000, 9999)
    st = (p ~ /^\/(\.git|\.env|\.aws|\.svn|server-status)/) ? 403 : 404
    emit(scanner, t, "GET " p " HTTP/1.1", st, (st == 403 ? 162 : ri(5100, 5400)), "-", "Mozilla/5.0 zgrab/0.x")
    t += ri(0, 3)
  }
  emit(scanner, t + 1, "GET /wp-login.php HTTP/1.1", 200, 4521, "-", "Mozilla/5.0 zgrab/0.x")
  emit(scanner, t + 2, "GET /wp-login.php?action=register HTTP/1.1", 302, 0, "-", "Mozilla/5.0 zgrab/0.x")

  # the brute-forcer: the answer
  attacker = rip()
  aua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0"
  t = ri(t0 + 3600, t1 - 3 * 3600)
  emit(attacker, t, "GET /wp-login.php HTTP/1.1", 200, 4521, "-", aua)
  emit(attacker, t + 1, "GET /?author=1 HTTP/1.1", 301, 169, "-", aua)
  emit(attacker, t + 2, "GET /wp-json/wp/v2/users HTTP/1.1", 200, 1380, "-", aua)
  n = ri(320, 600); lock = ri(15, 40); t += 5
  for (k = 1; k <= n; k++) {
    st = (k <= lock) ? 200 : 403
    emit(attacker, t, "POST /wp-login.php HTTP/1.1", st, (st == 200 ? ri(4600, 4700) : 1012), site "/wp-login.php", aua)
    t += ri(1, 6)
  }
  print attacker > ansfile

  # a second, much smaller login attacker
  small = rip(); t = ri(t0, t1 - 3600); n = ri(40, 110)
  for (k = 1; k <= n; k++) {
    emit(small, t, "POST /wp-login.php HTTP/1.1", 200, ri(4600, 4700), "-", "python-requests/2.31.0")
    t += ri(2, 20)
  }

  # an xmlrpc.php flood (also a login attack vector, but not the login form)
  xr = rip(); t = ri(t0, t1 - 3600); n = ri(200, 300)
  for (k = 1; k <= n; k++) {
    emit(xr, t, "POST /xmlrpc.php HTTP/1.1", 200, ri(400, 420), "-", "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)")
    t += ri(1, 8)
  }

  # the real administrator, logging in a few times and working in wp-admin
  admin = rip(); aua2 = pick(ua, 3)
  nl = ri(2, 4)
  for (l = 1; l <= nl; l++) {
    t = ri(t0, t1 - 1800)
    emit(admin, t, "GET /wp-login.php HTTP/1.1", 200, 4521, "-", aua2)
    if (rand() < 0.5) { t += ri(5, 15); emit(admin, t, "POST /wp-login.php HTTP/1.1", 200, 4688, site "/wp-login.php", aua2) }
    t += ri(5, 15); emit(admin, t, "POST /wp-login.php HTTP/1.1", 302, 0, site "/wp-login.php", aua2)
    t += 1; emit(admin, t, "GET /wp-admin/ HTTP/1.1", 200, ri(60000, 90000), site "/wp-login.php", aua2)
    m = ri(10, 40)
    for (k = 1; k <= m; k++) {
      t += ri(15, 60)
      if (rand() < 0.6) emit(admin, t, "POST /wp-admin/admin-ajax.php HTTP/1.1", 200, ri(40, 120), site "/wp-admin/post.php?post=" ri(10, 90) "&action=edit", aua2)
      else emit(admin, t, "GET /wp-admin/edit.php HTTP/1.1", 200, ri(40000, 70000), site "/wp-admin/", aua2)
    }
  }
}' | sort -s -n -k1,1 | cut -f2- > "$LOG.new"

mv -f "$LOG.new" "$LOG"
chown www-data:adm "$LOG"
chmod 640 "$LOG"
touch -d "@$((now - 120))" "$LOG"

answer=$(tr -d '[:space:]' < "$tmpans")
rm -f "$tmpans"
salt=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
hash=$(printf '%s%s' "$salt" "$answer" | sha256sum | cut -d' ' -f1)
printf '%s %s\n' "$salt" "$hash" > "$STATE/access-log-forensics"
chmod 600 "$STATE/access-log-forensics"
rm -f /home/admin/answer.txt
exit 0
