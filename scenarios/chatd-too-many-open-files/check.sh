#!/bin/bash
# Solved when chatd (unmodified, run by systemd as chatd) comes up after a restart with a
# file descriptor limit of at least 2048, and really serves 1000 simultaneous clients.
no() { echo "$1"; echo NO; exit 0; }
APP_SHA=c7253827734b598c45d80bbc3a66f9934eca7061fef30c7016c9f71b9ef32267
id=$(cat /root/.breakfix/chatd-instance 2>/dev/null)
[ -n "$id" ] || no "The scenario's records are missing; restart the scenario."
[ "$(sha256sum < /opt/chatd/chatd.py | cut -d' ' -f1)" = "$APP_SHA" ] || no "/opt/chatd/chatd.py was modified; the problem is not in the code."

# the fix has to survive a restart (a prlimit on the running process does not)
systemctl restart chatd 2>/dev/null
up=
for _ in $(seq 1 30); do
  (exec 3<>/dev/tcp/127.0.0.1/6767) 2>/dev/null && { up=1; break; }
  sleep 0.1
done
systemctl is-active --quiet chatd || no "chatd does not stay up after 'systemctl restart chatd': 'journalctl -u chatd'."
[ -n "$up" ] || no "chatd does not listen on 127.0.0.1:6767 after a restart."
pid=$(systemctl show -p MainPID --value chatd)
[ -n "$pid" ] && [ "$pid" != 0 ] || no "chatd has no main process."
tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q 'python3 /opt/chatd/chatd.py' || no "chatd.service no longer runs /opt/chatd/chatd.py."
[ "$(ps -o user= -p "$pid" | tr -d ' ')" = chatd ] || no "chatd must run as user chatd."
soft=$(awk '/^Max open files/ {print $4}' "/proc/$pid/limits")
[ "$soft" = unlimited ] || [ "${soft:-0}" -ge 2048 ] \
  || no "After a restart chatd still runs with 'Max open files' = $soft (see /proc/$pid/limits); it needs room for 1000+ clients."

python3 - "$id" <<'PY' || exit 0
import select, socket, sys, time
want = f"HELLO chatd {sys.argv[1]}\n".encode()
N, CHUNK = 1000, 100
socks, good = [], 0
deadline = time.monotonic() + 7
def fail(msg):
    print(msg); print("NO"); sys.exit(1)
try:
    for start in range(0, N, CHUNK):
        chunk = []
        for _ in range(CHUNK):
            s = socket.create_connection(("127.0.0.1", 6767), timeout=2)
            s.setblocking(False)
            chunk.append(s)
        socks += chunk
        pending = {s: b"" for s in chunk}
        while pending and time.monotonic() < deadline:
            r, _, _ = select.select(list(pending), [], [], 0.5)
            for s in r:
                d = s.recv(100)
                pending[s] += d
                if pending[s].endswith(b"\n") or not d:
                    if pending[s] == want:
                        good += 1
                    del pending[s]
        if pending:
            fail(f"With {len(socks) - len(pending)} clients connected, new clients get no greeting from chatd any more.")
except OSError as e:
    fail(f"Opening client connection {len(socks) + 1} failed: {e}")
if good != N:
    fail(f"Only {good} of {N} simultaneous clients were greeted by this box's chatd.")
for s in socks:
    s.close()
PY
echo OK
