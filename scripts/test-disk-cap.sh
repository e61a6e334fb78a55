#!/usr/bin/env bash
# Tests the disk-cap set-up path against a throwaway second dockerd (its own socket, data root on a
# 4G sparse btrfs loop file; the machine's dockerd is not touched): prepare + start, the probe says
# "on", a container writing past its size gets EDQUOT, and the abuse suite's disk attacks through
# the real server on that engine are contained. Then stops that dockerd by its pid and detaches the
# loop device.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CAP="$ROOT/scripts/disk-cap.sh"
BASE=/var/lib/breakfix-captest RUN=/run/breakfix-captest
SOCK="$RUN/docker.sock"
# Its own bridge: `--bridge none` would make that dockerd delete the host's docker0 (which the
# machine's own dockerd uses for builds) at start (measured, the hard way).
BRIDGE=bfcap0
say() { printf 'test-disk-cap: %s\n' "$*"; }
fail() { printf 'test-disk-cap: FAIL: %s\n' "$*" >&2; exit 1; }

grep -qw btrfs /proc/filesystems || { say "SKIP: this kernel has no btrfs."; exit 0; }
command -v mkfs.btrfs >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq btrfs-progs >/dev/null; }

cleanup() {
  if [ -f "$RUN/docker.pid" ]; then
    pid="$(cat "$RUN/docker.pid")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  bash "$CAP" release "$BASE/docker" || true
  ip link del "$BRIDGE" 2>/dev/null || true
  rm -rf "$BASE" "$RUN"
}
trap cleanup EXIT
cleanup

ip link add name "$BRIDGE" type bridge
ip addr add 10.213.213.1/24 dev "$BRIDGE"
# The real set-up path: setup.sh finds no dockerd on this socket and starts one on a capped root.
mkdir -p "$RUN"
out="$(BREAKFIX_DOCKER_SOCK="$SOCK" BREAKFIX_DOCKER_ROOT="$BASE/docker" BREAKFIX_DOCKER_DISK=4G \
  BREAKFIX_DOCKERD_LOG="$BASE/dockerd.log" BREAKFIX_SKIP_IMAGES=1 \
  BREAKFIX_DOCKERD_ARGS="--bridge $BRIDGE --iptables=false --ip-masq=false" bash "$ROOT/scripts/setup.sh" 2>&1)" \
  || fail "setup.sh: $out"
printf '%s\n' "$out" | grep -q "starting dockerd with a disk-capped data root" || fail "setup.sh did not start a capped dockerd: $out"
[ -f "$RUN/docker.pid" ] || fail "no pid file at $RUN/docker.pid"
again="$(BREAKFIX_DOCKER_SOCK="$SOCK" BREAKFIX_DOCKER_ROOT="$BASE/docker" BREAKFIX_SKIP_IMAGES=1 bash "$ROOT/scripts/setup.sh" 2>&1)"
[ -z "$again" ] || fail "setup.sh a second time was not quiet: $again"
say "ok: setup.sh started dockerd on a capped data root, and is quiet the second time"
say "second dockerd on $SOCK, data root $(findmnt -n -o SOURCE,FSTYPE "$BASE/docker" | tr -s ' ')"
docker save breakfix/base:bookworm | DOCKER_HOST="unix://$SOCK" docker load -q >/dev/null

[ "$(bash "$CAP" probe "$SOCK" 2>/dev/null)" = on ] || fail "the probe says the btrfs engine has no cap."
mode="$(bash "$CAP" quota-mode "$BASE/docker")"
if [ -e /sys/fs/btrfs/features/simple_quota ]; then
  [ "$mode" = squota ] || fail "the kernel has btrfs simple quotas but the data root runs '$mode' (full qgroups make removal cost a core)."
fi
say "ok: quota mode of the data root: $mode"
out="$(DOCKER_HOST="unix://$SOCK" docker run --rm --network none --label breakfix.test=disk-cap \
  --storage-opt size=400M breakfix/base:bookworm \
  sh -c 'dd if=/dev/zero of=/fill bs=1M count=600 2>&1 | grep -v records; stat -c %s /fill' 2>&1)"
written="$(printf '%s\n' "$out" | tail -1)"
printf '%s\n' "$out" | grep -q 'No space left\|Disk quota exceeded' || fail "writing 600M under a 400M cap did not fail: $out"
[ "$written" -lt $((400 << 20)) ] || fail "$written bytes written under a 400M cap."
say "ok: 600M write under size=400M stopped at $((written >> 20)) MiB ($(printf '%s\n' "$out" | grep -o 'No space left on device\|Disk quota exceeded' | head -1))"
# Idempotent: preparing again changes nothing and keeps it mounted.
bash "$CAP" prepare "$BASE/docker" 4G
mountpoint -q "$BASE/docker" || fail "prepare twice unmounted the data root."
say "ok: prepare is idempotent"

# Through the real server on the capped engine: the abuse suite's disk attacks are contained.
images="$(docker images breakfix-scenario/access-log-forensics --format '{{.Repository}}:{{.Tag}}')"
if [ -x "$ROOT/.build/debug/breakfix" ] && [ -n "$images" ]; then
  docker save $images | DOCKER_HOST="unix://$SOCK" docker load -q >/dev/null
  DOCKER_HOST="unix://$SOCK" BREAKFIX_DISK_CAP=on BREAKFIX_ABUSE_PORT="${BREAKFIX_CAPTEST_PORT:-18093}" \
    bash "$ROOT/scripts/abuse.sh" -k 'fill_disk or fill_tmp' || fail "the abuse suite's disk attacks on the capped engine."
  say "ok: through breakfix serve on the capped engine, filling the disk stops at the cap"
else
  say "SKIP: the server binary or the access-log-forensics image is missing (make test builds both first)."
fi
