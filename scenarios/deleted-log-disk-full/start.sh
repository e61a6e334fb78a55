#!/bin/bash
# Starts ingestd as user app, floods its log until /var/log/app is full, then
# deletes the log while ingestd still holds it open (what the "cleanup" did).
set -u
LOGDIR=/var/log/app
LOG=$LOGDIR/ingestd.log
as_app() { setpriv --reuid=app --regid=app --init-groups "$@"; }

chown app:app "$LOGDIR" && chmod 755 "$LOGDIR"
install -d -o app -g app -m 755 /run/ingestd
rm -f /run/ingestd/ingestd.pid "$LOG"

# Yesterday's rotated log: small, so du of the directory looks harmless.
as_app gawk -v start="$(( $(date +%s) - 86400 - RANDOM ))" 'BEGIN {
  for (i = 1; i <= 2500; i++)
    printf "%s INFO batch=%d records=%d queued=%d status=accepted\n",
      strftime("%Y-%m-%dT%H:%M:%S", start + i * 2), i, 100 + (i * 37) % 900, (i * 7) % 40
}' > "$LOG.1"
chown app:app "$LOG.1"; chmod 644 "$LOG.1"

# The service, detached from this script.
setsid setpriv --reuid=app --regid=app --init-groups /usr/local/bin/ingestd </dev/null >/dev/null 2>&1 &
for _ in $(seq 1 50); do
  [ -s /run/ingestd/ingestd.pid ] && break
  sleep 0.1
done
pid=$(cat /run/ingestd/ingestd.pid 2>/dev/null)
if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
  echo "start.sh: ingestd did not start" >&2
  exit 1
fi

# The debug-level flood that filled the filesystem (gawk stops at ENOSPC).
as_app gawk -v start="$(( $(date +%s) - 7200 ))" -v seed="$RANDOM" 'BEGIN {
  srand(seed)
  for (i = 1; i <= 800000; i++) {
    if (i % 200 == 1) ts = strftime("%Y-%m-%dT%H:%M:%S", start + int(i / 120))
    printf "%s DEBUG batch=%d record=%d partner=P%04d bytes=%d checksum=%08x status=parsed\n",
      ts, int(i / 500) + 1, i, int(rand() * 9000) + 1000, int(rand() * 60000) + 200,
      int(rand() * 4294967295)
  }
}' >> "$LOG" 2>/dev/null || true

# Someone "cleaned up" the big log. ingestd still has it open.
rm -f "$LOG"

# Remember which process is the original service (the check insists it survives).
install -d -m 700 /root/.breakfix
starttime=$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f20)
echo "$pid $starttime" > /root/.breakfix/ingestd.origin
chmod 600 /root/.breakfix/ingestd.origin
exit 0
