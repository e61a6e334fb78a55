#!/bin/bash
# Solved when: cron is running, the legit jobs are still scheduled, nothing schedules
# thumbnail-regen any more and no thumbnail-regen process runs (sampled twice).
verdict() { [ -n "$1" ] && echo "$1"; echo "$2"; exit 0; }

# 1. cron itself must be running (and be the real cron)
systemctl is-active --quiet cron 2>/dev/null || verdict "The cron service is not running: the other scheduled jobs need it." NO
pid=$(systemctl show -p MainPID --value cron 2>/dev/null)
[ -n "$pid" ] && [ "$pid" != 0 ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = /usr/sbin/cron ] \
  || verdict "The cron service is not running: the other scheduled jobs need it." NO
systemctl is-enabled --quiet cron 2>/dev/null || verdict "The cron service is no longer enabled at boot." NO

# 2. the legitimate jobs must still be scheduled
wwwtab=$(crontab -u www-data -l 2>/dev/null | grep -v '^[[:space:]]*#')
grep -Eq '^\*/10 \* \* \* \* +/usr/local/bin/wp-cron-run' <<<"$wwwtab" \
  || verdict "The WordPress cron job (wp-cron-run in www-data's crontab) is gone: only the bad entry had to go." NO
grep -Eq '^17 3 \* \* \* +root +/usr/local/sbin/app-logrotate' /etc/cron.d/app-maintenance 2>/dev/null \
  && grep -Eq '^\*/5 \* \* \* \* +root +date' /etc/cron.d/app-maintenance 2>/dev/null \
  || verdict "The jobs in /etc/cron.d/app-maintenance are gone or changed: they are legitimate." NO

# 3. the hog must be gone, and nothing may schedule it any more
hog_running() {
  pgrep -x thumbnail-regen >/dev/null || pgrep -f '^[^ ]*sh [^ ]*thumbnail-regen' >/dev/null
}
hog_running && verdict "thumbnail-regen is still running (see top)." NO
for f in /etc/crontab /etc/cron.d/* /var/spool/cron/crontabs/*; do
  [ -f "$f" ] || continue
  if grep -v '^[[:space:]]*#' "$f" | grep -q 'thumbnail-regen'; then
    verdict "Something is still scheduled to start thumbnail-regen again." NO
  fi
done

# 4. it must not come back within 3 s, and nothing else may be eating the CPU
cpu_ticks() {   # pid utime+stime for every process
  local f line rest
  for f in /proc/[0-9]*/stat; do
    { read -r line < "$f"; } 2>/dev/null || continue
    rest=${line##*) }
    set -- $rest
    echo "${f//[!0-9]/} $(( ${12} + ${13} ))"
  done
}
before=$(cpu_ticks)
sleep 3
hog_running && verdict "thumbnail-regen is running again: something restarted it." NO
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
busy=$(awk -v thr=$(( hz * 3 * 30 / 100 )) 'NR == FNR { a[$1] = $2; next }
         ($1 in a) && $2 - a[$1] > thr { print $1 }' <(echo "$before") <(cpu_ticks) | head -n1)
[ -n "$busy" ] && verdict "A process is still eating the CPU: $(ps -o args= -p "$busy" 2>/dev/null | cut -c1-60) (see top)." NO
verdict "" OK
