#!/usr/bin/env bash
# Disk cap for sandboxes. Docker enforces `--storage-opt size=` only on some storage drivers:
# overlay2 on XFS mounted with pquota (this kernel has no XFS quota support), btrfs with quotas,
# zfs, devicemapper. This script probes an engine and prepares a btrfs data root on a sparse loop
# file for a dockerd that Breakfix starts itself.
#
#   disk-cap.sh probe [SOCKET]                 prints "on" (the engine enforces a size) or "off"
#                                              (and says why on stderr); exit 0 either way
#   disk-cap.sh prepare DATA_ROOT [SIZE]       sparse file DATA_ROOT.img (SIZE, default
#                                              $BREAKFIX_DOCKER_DISK or 40G), btrfs, simple quotas
#                                              on (full qgroups on kernels before 6.7),
#                                              mounted on DATA_ROOT; idempotent
#   disk-cap.sh start-dockerd SOCKET DATA_ROOT EXEC_ROOT PIDFILE LOG [SIZE]
#                                              prepare, then dockerd --storage-driver btrfs on them
#   disk-cap.sh quota-mode DATA_ROOT           prints the btrfs quota mode: squota, qgroup or off
#   disk-cap.sh release DATA_ROOT              unmount DATA_ROOT and detach its loop device
set -euo pipefail

say() { printf 'disk-cap: %s\n' "$*" >&2; }
die() { printf 'disk-cap: error: %s\n' "$*" >&2; exit 1; }
PROBE_IMAGE="${BREAKFIX_PROBE_IMAGE:-breakfix/base:bookworm}"

engine() { # $1 socket, $2 method, $3 path, [$4 json body]
  curl -s --max-time 30 --unix-socket "$1" -X "$2" -H 'Content-Type: application/json' \
    ${4:+--data "$4"} -w '\n%{http_code}' "http://docker$3"
}

probe() {
  local sock="${1:-${DOCKER_HOST:-unix:///var/run/docker.sock}}"; sock="${sock#unix://}"
  local out code body id
  out="$(engine "$sock" POST /containers/create \
    "{\"Image\":\"$PROBE_IMAGE\",\"Cmd\":[\"true\"],\"Labels\":{\"breakfix.managed\":\"true\",\"breakfix.probe\":\"disk-cap\"},\"HostConfig\":{\"NetworkMode\":\"none\",\"StorageOpt\":{\"size\":\"8G\"}}}")" \
    || { say "Docker does not answer at $sock."; echo off; return 0; }
  code="${out##*$'\n'}"; body="${out%$'\n'*}"
  if [ "$code" = 201 ]; then
    id="$(printf '%s' "$body" | sed -n 's/.*"Id":"\([0-9a-f]*\)".*/\1/p')"
    engine "$sock" DELETE "/containers/$id?force=1" >/dev/null || true
    echo on
  else
    say "WARNING: the Docker engine at $sock cannot cap a sandbox's disk ($(printf '%s' "$body" | sed -n 's/.*"message":"\([^"]*\)".*/\1/p'))."
    say "WARNING: a user of a sandbox can fill this engine's disk; see README, Disk cap."
    echo off
  fi
}

prepare() {
  local root="$1" size="${2:-${BREAKFIX_DOCKER_DISK:-40G}}" img="$1.img" dev
  grep -qw btrfs /proc/filesystems || die "this kernel has no btrfs, so no capped data root can be made here."
  command -v mkfs.btrfs >/dev/null || die "mkfs.btrfs is missing (apt-get install btrfs-progs)."
  if mountpoint -q "$root"; then
    [ "$(stat -f -c %T "$root")" = btrfs ] || die "$root is already a mount point, and not btrfs."
  else
    mkdir -p "$root"
    if [ ! -f "$img" ]; then
      say "creating $img (sparse, $size) with btrfs for Docker's data root"
      truncate -s "$size" "$img"
      mkfs.btrfs -q "$img" >/dev/null
    fi
    mount -o loop "$img" "$root"
  fi
  enable_quotas "$root"
}

# Simple quotas (kernel 6.7+) where the kernel has them, else full qgroups. Measured here (kernel
# 6.18, 2 cores): with full qgroups the kernel traces every extent of a removed sandbox's
# snapshot, so after a few hundred sandboxes the btrfs cleaner held a core for an hour and
# `docker run` took 6 s; with simple quotas it takes 0.5 s and removal costs nothing. Simple quotas
# also count only what the sandbox writes, not the image it shares.
# The btrfs quota mode of the filesystem holding $1: squota, qgroup, or off.
quota_mode() {
  cat "/sys/fs/btrfs/$(findmnt -n -o UUID --target "$1")/qgroups/mode" 2>/dev/null || echo off
}

enable_quotas() {
  local root="$1" mode
  mode="$(quota_mode "$root")"
  if [ -e /sys/fs/btrfs/features/simple_quota ]; then
    [ "$mode" = squota ] && return 0
    if [ "$mode" != off ]; then
      say "switching $root from full qgroups to simple quotas (docker must not be running on it)"
      btrfs quota disable "$root"
    fi
    enable_simple_quotas "$root"
  else
    # Full qgroups before any data: enabled late, accounting is inconsistent and limits are not
    # enforced until a rescan (measured).
    [ "$mode" != off ] || { btrfs quota enable "$root"; btrfs quota rescan -w "$root" >/dev/null; }
  fi
}

# `btrfs quota enable --simple` needs btrfs-progs 6.7 (Debian 12 has 6.2): the ioctl itself,
# BTRFS_IOC_QUOTA_CTL = _IOWR(0x94, 40, {u64 cmd; u64 status}) with cmd 4, ENABLE_SIMPLE_QUOTA.
# perl-base is essential on Debian, so it is always there.
enable_simple_quotas() {
  perl -MFcntl -e 'sysopen(my $fh, $ARGV[0], O_RDONLY | O_DIRECTORY) or die "open $ARGV[0]: $!\n";
    my $args = pack("QQ", 4, 0); ioctl($fh, 0xC0109428, $args) or die "enabling simple quotas on $ARGV[0]: $!\n"' "$1" \
    || die "could not enable btrfs simple quotas on $1."
}

start_dockerd() {
  local sock="$1" root="$2" exec_root="$3" pidfile="$4" log="$5" size="${6:-}"
  prepare "$root" $size
  mkdir -p "$exec_root" "$(dirname "$pidfile")" "$(dirname "$log")"
  setsid nohup dockerd --host "unix://$sock" --data-root "$root" --exec-root "$exec_root" \
    --pidfile "$pidfile" --storage-driver btrfs "${DOCKERD_EXTRA_ARGS[@]}" >"$log" 2>&1 </dev/null &
  local i
  for i in $(seq 1 60); do
    curl -sf --unix-socket "$sock" http://docker/_ping >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  die "dockerd did not answer on $sock within 30 s; see $log."
}

release() {
  local root="$1" dev
  dev="$(findmnt -n -o SOURCE "$root" 2>/dev/null || true)"
  mountpoint -q "$root" && umount "$root"
  [ -n "$dev" ] && losetup "$dev" >/dev/null 2>&1 && losetup -d "$dev" 2>/dev/null || true
}

DOCKERD_EXTRA_ARGS=()
[ -n "${BREAKFIX_DOCKERD_ARGS:-}" ] && read -r -a DOCKERD_EXTRA_ARGS <<<"$BREAKFIX_DOCKERD_ARGS"
case "${1:-}" in
  probe) shift; probe "$@" ;;
  prepare) shift; prepare "$@" ;;
  start-dockerd) shift; start_dockerd "$@" ;;
  quota-mode) shift; quota_mode "$@" ;;
  release) shift; release "$@" ;;
  *) echo "usage: $0 probe [SOCKET] | prepare DATA_ROOT [SIZE] | start-dockerd SOCKET DATA_ROOT EXEC_ROOT PIDFILE LOG [SIZE] | quota-mode DATA_ROOT | release DATA_ROOT" >&2; exit 2 ;;
esac
