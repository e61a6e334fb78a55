#!/usr/bin/env bash
# Smoke test of the Breakfix base images under the sandbox security flags.
# Usage: images/smoke-test.sh [cgroup-mode]
#   cgroup-mode: session (default) | systemd-bind | ro-bind | none
# Every container started here is labelled breakfix.test=setup and removed.
set -euo pipefail

D=/usr/bin/docker; [ -x "$D" ] || D=docker
MODE="${1:-session}"
CAPS=(--cap-drop ALL)
for c in CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE \
         SYS_CHROOT AUDIT_WRITE MKNOD SYS_PTRACE; do CAPS+=(--cap-add "$c"); done
LIMITS=(--network none --memory 256m --memory-swap 256m --pids-limit 256 --cpus 0.5)
IDS=()
SESSION_CG=""
cleanup() {
  [ "${#IDS[@]}" -gt 0 ] && "$D" rm -f "${IDS[@]}" >/dev/null 2>&1
  if [ -n "$SESSION_CG" ]; then
    local h; for h in /sys/fs/cgroup/*/"$SESSION_CG"; do
      [ -d "$h" ] && find "$h" -depth -type d -exec rmdir {} + 2>/dev/null
    done
  fi
  return 0
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok:   $*"; }

# ---- base image: --init, default CMD, sudo works for admin
c=$("$D" run -d --label breakfix.test=setup "${CAPS[@]}" "${LIMITS[@]}" --init breakfix/base:bookworm); IDS+=("$c")
out=$("$D" exec -u admin "$c" sudo -n true 2>&1) || fail "base: sudo -n true: $out"
[ -z "$out" ] || fail "base: sudo printed: $out"
ok "base: admin sudo -n true (silent)"
"$D" exec -u admin "$c" ping -c1 -W1 127.0.0.1 >/dev/null 2>&1 || fail "base: ping as admin"
ok "base: ping 127.0.0.1 as admin"
[ "$("$D" exec "$c" getent passwd admin | cut -d: -f3,6,7)" = "1000:/home/admin:/bin/bash" ] || fail "base: admin user"
ok "base: admin uid 1000 /home/admin /bin/bash"

# ---- systemd image
SYSD=(--label breakfix.test=setup "${CAPS[@]}" "${LIMITS[@]}"
      --tmpfs /run:size=64m --tmpfs /run/lock:size=8m --tmpfs /tmp:size=64m)
case "$MODE" in
  session)      # per-sandbox cgroup parent; only its own name=systemd subtree is mounted
    SESSION_CG="breakfix-smoke-$$"
    mkdir -p "/sys/fs/cgroup/systemd/$SESSION_CG"
    SYSD+=(--cgroupns private --cgroup-parent "/$SESSION_CG"
           -v "/sys/fs/cgroup/systemd/$SESSION_CG:/sys/fs/cgroup/systemd") ;;
  systemd-bind) SYSD+=(--cgroupns host -v /sys/fs/cgroup/systemd:/sys/fs/cgroup/systemd) ;;
  ro-bind)      SYSD+=(-v /sys/fs/cgroup:/sys/fs/cgroup:ro) ;;
  none)         SYSD+=(--cgroupns private) ;;
  *) fail "unknown mode $MODE" ;;
esac
t0=$(date +%s.%N)
c=$("$D" run -d "${SYSD[@]}" breakfix/systemd:bookworm); IDS+=("$c")
state=""
for _ in $(seq 1 30); do
  state=$("$D" exec "$c" systemctl is-system-running --wait 2>/dev/null) && break
  [ "$state" = degraded ] && break
  [ "$("$D" inspect -f '{{.State.Running}}' "$c")" = true ] || break
  sleep 0.5
done
t1=$(date +%s.%N)
[ "$state" = running ] || { "$D" logs "$c" 2>&1 | tail -5; fail "systemd ($MODE): state '$state'"; }
ok "systemd ($MODE): running after $(echo "$t1 - $t0" | bc 2>/dev/null || echo '?') s"
failed=$("$D" exec "$c" systemctl --failed --no-legend --plain)
[ -z "$failed" ] || fail "systemd: failed units: $failed"
ok "systemd: no failed units"
n=$("$D" exec "$c" journalctl -b --no-pager -q | wc -l)
[ "$n" -gt 5 ] || fail "systemd: journal has $n lines"
ok "systemd: journal has $n lines"
"$D" exec "$c" systemd-run -q --unit=smoke sleep 300
[ "$("$D" exec "$c" systemctl is-active smoke)" = active ] || fail "systemd: transient unit not active"
"$D" exec "$c" systemctl stop smoke
[ "$("$D" exec "$c" systemctl is-active smoke || true)" = inactive ] || fail "systemd: unit did not stop"
ok "systemd: start/stop of a unit"
"$D" exec -u admin "$c" sudo -n systemctl is-system-running >/dev/null || fail "systemd: admin sudo systemctl"
ok "systemd: admin sudo systemctl"
for h in pids memory; do
  if "$D" exec "$c" sh -c "echo \$\$ > /sys/fs/cgroup/$h/cgroup.procs" 2>/dev/null; then
    fail "systemd ($MODE): sandbox root can move itself out of its $h cgroup (limit escape)"
  fi
done
ok "systemd ($MODE): cannot escape pids/memory cgroups"
t0=$(date +%s.%N); "$D" stop -t 10 "$c" >/dev/null; t1=$(date +%s.%N)
ok "systemd: docker stop took $(echo "$t1 - $t0" | bc 2>/dev/null || echo '?') s (SIGRTMIN+3)"
echo "all ok"
