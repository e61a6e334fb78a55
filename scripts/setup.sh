#!/usr/bin/env bash
# Breakfix host setup: install Docker + debootstrap, make sure a Docker daemon
# answers on /var/run/docker.sock, build the base images from Debian packages.
#
# Idempotent and quiet: prints one line per action it actually takes, nothing
# when there is nothing to do. Run as root on Debian 12.
#
# Images (all labelled breakfix.managed=true and breakfix.recipe=<sha256>):
#   breakfix/rootfs:bookworm   debootstrap --variant=minbase, docker import
#   breakfix/base:bookworm     images/base/Dockerfile   (FROM rootfs)
#   breakfix/systemd:bookworm  images/systemd/Dockerfile (FROM base)
#   breakfix/lang-<name>:bookworm  images/lang/<name>/Dockerfile: the code judge's toolchains
#                              (native: gcc, g++, bash; python; go; java; rust FROM native)
# An image is rebuilt only when its recipe hash changes; a child's recipe hash
# includes its parent's, so a rootfs rebuild cascades.
#
# Environment:
#   BREAKFIX_SKIP_IMAGES=1     do not build images (install + daemon only)
#   BREAKFIX_FORCE_IMAGES=1    rebuild the images even if the recipe is unchanged
#   BREAKFIX_SKIP_LANG_IMAGES=1  build the scenario base images but not the judge's language images
#   BREAKFIX_LANG_IMAGES="native python"  build only these language images (default: all;
#                              `make bench` needs only native)
#   BREAKFIX_MIRROR=<url>      Debian mirror for debootstrap (default: discovered
#                              from this machine's apt configuration)
#   BREAKFIX_SECURITY_MIRROR=<url>  same for bookworm-security (default: discovered;
#                              "none" to leave it out of the images' sources.list)
#   BREAKFIX_DOCKERD_LOG=<file>  log of a dockerd started by this script
#                              (default /var/log/breakfix-dockerd.log)
#   BREAKFIX_WORKDIR=<dir>     scratch space for debootstrap (default /var/tmp)
#   BREAKFIX_DOCKER_DISK=<size>  when this script starts dockerd itself, Docker's data root is a
#                              btrfs filesystem on a sparse file of this size (default 40G) at
#                              /var/lib/breakfix-docker, so that sandboxes get a disk cap
#   BREAKFIX_DISK_CAP=off      start dockerd on the default data root, without a disk cap
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUITE=bookworm
VARIANT=minbase
DOCKERD_LOG="${BREAKFIX_DOCKERD_LOG:-/var/log/breakfix-dockerd.log}"
# A private socket (tests only): dockerd is then started beside the machine's one, never via systemd.
SOCK="${BREAKFIX_DOCKER_SOCK:-/var/run/docker.sock}"
DOCKER_ROOT="${BREAKFIX_DOCKER_ROOT:-/var/lib/breakfix-docker}"
if [ "$SOCK" = /var/run/docker.sock ]; then EXEC_ROOT=/var/run/docker PIDFILE=/var/run/docker.pid
else EXEC_ROOT="$(dirname "$SOCK")/exec" PIDFILE="$(dirname "$SOCK")/docker.pid"; fi
export DEBIAN_FRONTEND=noninteractive

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (it installs packages, starts dockerd and runs debootstrap)."

# ---------------------------------------------------------------- packages
ensure_packages() {
  local pkgs=(docker.io debootstrap ca-certificates debian-archive-keyring tar coreutils curl)
  local missing=() p st
  for p in "${pkgs[@]}"; do
    st="$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)"
    [ "$st" = installed ] || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  say "installing ${missing[*]}"
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ---------------------------------------------------------------- docker
docker_bin() {
  if [ -x /usr/bin/docker ]; then echo /usr/bin/docker; else command -v docker || true; fi
}

daemon_answers() {
  "$DOCKER" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

ensure_daemon() {
  DOCKER="$(docker_bin)"
  [ -n "$DOCKER" ] || die "no docker client found after installing docker.io."
  export DOCKER_HOST="unix://$SOCK"
  daemon_answers && return 0

  if [ "$SOCK" = /var/run/docker.sock ] && [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] && command -v systemctl >/dev/null \
     && systemctl cat docker.service >/dev/null 2>&1; then
    say "starting docker.service (systemctl start docker)"
    systemctl start docker || true
  else
    command -v dockerd >/dev/null || die "dockerd is not installed (package docker.io)."
    mkdir -p "$(dirname "$DOCKERD_LOG")"
    if [ "${BREAKFIX_DISK_CAP:-on}" != off ] && grep -qw btrfs /proc/filesystems; then
      command -v mkfs.btrfs >/dev/null || { say "installing btrfs-progs"; apt-get install -y -qq btrfs-progs >/dev/null; }
      say "starting dockerd with a disk-capped data root (btrfs, $DOCKER_ROOT; log: $DOCKERD_LOG)"
      bash "$ROOT/scripts/disk-cap.sh" start-dockerd "$SOCK" "$DOCKER_ROOT" "$EXEC_ROOT" \
        "$PIDFILE" "$DOCKERD_LOG" "${BREAKFIX_DOCKER_DISK:-40G}"
    else
      say "starting dockerd in the background (log: $DOCKERD_LOG)"
      setsid nohup dockerd >"$DOCKERD_LOG" 2>&1 </dev/null &
      disown || true
    fi
  fi
  local i
  for i in $(seq 1 60); do
    daemon_answers && return 0
    sleep 1
  done
  die "the Docker daemon did not answer on $SOCK within 60 s; see $DOCKERD_LOG (or 'journalctl -u docker')."
}

# ---------------------------------------------------------------- mirror discovery
# Prints "URI SUITE" pairs of enabled 'deb' sources, from one-line and deb822 files.
apt_sources() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    awk '
      /^[[:space:]]*#/ { next }
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; i++ }
        uri = $i; suite = $(i + 1); comps = ""
        for (j = i + 2; j <= NF; j++) comps = comps " " $j
        if (comps ~ / main( |$)/) print uri, suite
      }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    awk '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && comps ~ /(^| )main( |$)/ && enabled !~ /^(no|false)$/) {
          nu = split(uris, U, " "); ns = split(suites, S, " ")
          for (a = 1; a <= nu; a++) for (b = 1; b <= ns; b++) print U[a], S[b]
        }
        types = uris = suites = comps = ""; enabled = "yes"
      }
      BEGIN { enabled = "yes" }
      /^[[:space:]]*#/ { next }
      /^[[:space:]]*$/ { flush(); next }
      {
        line = $0; key = line; sub(/:.*/, "", key); val = line; sub(/^[^:]*:[[:space:]]*/, "", val)
        if (key ~ /^[[:space:]]/) next          # continuation lines (rare) are ignored
        k = tolower(key)
        if (k == "types") types = val; else if (k == "uris") uris = val
        else if (k == "suites") suites = val; else if (k == "components") comps = val
        else if (k == "enabled") enabled = tolower(val)
      }
      END { flush() }' "$f"
  done
}

pick_mirror() { # $1 = suite to match exactly
  apt_sources | awk -v s="$1" '$2 == s && $1 ~ /^(https?|file):/ { sub(/\/+$/, "", $1); print $1; exit }'
}

discover_mirrors() {
  MIRROR="${BREAKFIX_MIRROR:-$(pick_mirror "$SUITE")}"
  [ -n "$MIRROR" ] || die "no apt source for '$SUITE main' found in /etc/apt/sources.list{,.d}; set BREAKFIX_MIRROR."
  SECURITY_MIRROR="${BREAKFIX_SECURITY_MIRROR:-$(pick_mirror "$SUITE-security")}"
  [ "$SECURITY_MIRROR" = none ] && SECURITY_MIRROR=""
  # Keep apt inside the images as tolerant as the host's (e.g. snapshot mirrors
  # whose Release files are past Valid-Until).
  APT_NO_VALID_UNTIL=0
  if apt-config dump 2>/dev/null | grep -qiE '^Acquire::Check-Valid-Until "(false|0|no)"'; then
    APT_NO_VALID_UNTIL=1
  fi
}

# ---------------------------------------------------------------- image helpers
image_recipe() { # $1 = image ref; prints the breakfix.recipe label or nothing
  "$DOCKER" image inspect -f '{{index .Config.Labels "breakfix.recipe"}}' "$1" 2>/dev/null || true
}

dir_hash() { # $1 = folder; sha256 over relative paths, modes and contents
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z \
     | xargs -0 -r sh -c 'for f; do printf "%s %s\n" "$f" "$(stat -c %a "$f")"; sha256sum < "$f"; done' _) \
    | sha256sum | cut -d' ' -f1
}

str_hash() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

WORK=""
cleanup() { [ -n "$WORK" ] && [ -d "$WORK" ] && rm -rf --one-file-system "$WORK"; return 0; }
trap cleanup EXIT

# The whole body of this function (declare -f) is part of the rootfs recipe.
build_rootfs() { # $1 = recipe hash
  local recipe="$1" dir log
  WORK="$(mktemp -d "${BREAKFIX_WORKDIR:-/var/tmp}/breakfix-rootfs.XXXXXX")"
  dir="$WORK/rootfs"; log="$WORK/debootstrap.log"
  if ! debootstrap --variant="$VARIANT" --components=main "$SUITE" "$dir" "$MIRROR" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "debootstrap $SUITE from $MIRROR failed (last lines above)."
  fi

  # apt sources: the mirror debootstrap used (+ updates and security when known).
  {
    echo "deb $MIRROR $SUITE main"
    echo "deb $MIRROR $SUITE-updates main"
    if [ -n "$SECURITY_MIRROR" ]; then echo "deb $SECURITY_MIRROR $SUITE-security main"; fi
  } >"$dir/etc/apt/sources.list"
  # apt behaviour suited to images: no recommends, no caches, no translations.
  cat >"$dir/etc/apt/apt.conf.d/90breakfix" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
Acquire::GzipIndexes "true";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  if [ "$APT_NO_VALID_UNTIL" = 1 ]; then
    printf 'Acquire::Check-Valid-Until "false";\n' >"$dir/etc/apt/apt.conf.d/91breakfix-mirror"
  fi
  # Documentation is not needed in a sandbox (no man-db either); keep copyrights.
  cat >"$dir/etc/dpkg/dpkg.cfg.d/90breakfix-nodoc" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
EOF
  find "$dir/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  rm -rf "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/usr/share/lintian/*
  find "$dir/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true
  # Runtime state that must not be baked in.
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb \
         "$dir"/var/log/bootstrap.log "$dir"/var/log/apt/* "$dir"/var/log/dpkg.log \
         "$dir"/tmp/* "$dir"/var/tmp/* "$dir"/dev/* "$dir"/proc/* "$dir"/sys/* "$dir"/run/*
  mkdir -p "$dir/var/lib/apt/lists/partial"
  : >"$dir/etc/machine-id"
  rm -f "$dir/var/lib/dbus/machine-id"
  echo localhost >"$dir/etc/hostname"

  tar -C "$dir" --numeric-owner --xattrs --acls -cf - . \
    | "$DOCKER" import \
        --change 'LABEL breakfix.managed=true' \
        --change "LABEL breakfix.recipe=$recipe" \
        --change "LABEL org.opencontainers.image.description=\"Debian $SUITE $VARIANT (debootstrap) for Breakfix\"" \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["/bin/bash"]' \
        - "breakfix/rootfs:$SUITE" >/dev/null
  cleanup; WORK=""
}

build_dockerfile_image() { # $1 = ref, $2 = folder, $3 = recipe hash
  local ref="$1" ctx="$2" recipe="$3" log
  log="$(mktemp)"
  if ! DOCKER_BUILDKIT=0 "$DOCKER" build --pull=false --force-rm \
        --label breakfix.managed=true --label "breakfix.recipe=$recipe" \
        -t "$ref" "$ctx" >"$log" 2>&1; then
    tail -n 40 "$log" >&2; rm -f "$log"
    die "docker build of $ref from ${ctx#"$ROOT"/} failed (last lines above)."
  fi
  rm -f "$log"
}

ensure_images() {
  discover_mirrors
  local rootfs_recipe base_recipe systemd_recipe
  rootfs_recipe="$(str_hash "rootfs v1
suite=$SUITE variant=$VARIANT mirror=$MIRROR security=$SECURITY_MIRROR novaliduntil=$APT_NO_VALID_UNTIL
$(declare -f build_rootfs)")"
  base_recipe="$(str_hash "base v1 parent=$rootfs_recipe files=$(dir_hash "$ROOT/images/base")")"
  systemd_recipe="$(str_hash "systemd v1 parent=$base_recipe files=$(dir_hash "$ROOT/images/systemd")")"

  local force="${BREAKFIX_FORCE_IMAGES:-0}" t0
  if [ "$force" = 1 ] || [ "$(image_recipe "breakfix/rootfs:$SUITE")" != "$rootfs_recipe" ]; then
    say "building breakfix/rootfs:$SUITE (debootstrap --variant=$VARIANT $SUITE from $MIRROR)"
    t0=$SECONDS; build_rootfs "$rootfs_recipe"
    say "built breakfix/rootfs:$SUITE in $((SECONDS - t0)) s"
  fi
  if [ "$force" = 1 ] || [ "$(image_recipe "breakfix/base:$SUITE")" != "$base_recipe" ]; then
    say "building breakfix/base:$SUITE (images/base)"
    t0=$SECONDS; build_dockerfile_image "breakfix/base:$SUITE" "$ROOT/images/base" "$base_recipe"
    say "built breakfix/base:$SUITE in $((SECONDS - t0)) s"
  fi
  if [ "$force" = 1 ] || [ "$(image_recipe "breakfix/systemd:$SUITE")" != "$systemd_recipe" ]; then
    say "building breakfix/systemd:$SUITE (images/systemd)"
    t0=$SECONDS; build_dockerfile_image "breakfix/systemd:$SUITE" "$ROOT/images/systemd" "$systemd_recipe"
    say "built breakfix/systemd:$SUITE in $((SECONDS - t0)) s"
  fi
  [ "${BREAKFIX_SKIP_LANG_IMAGES:-0}" = 1 ] || ensure_lang_images "$rootfs_recipe"
}

# The code judge's language images (languages.yaml names them). Each is FROM rootfs except
# rust, FROM lang-native (rustc links with gcc): parents come first in this list.
LANG_IMAGES="native:rootfs python:rootfs go:rootfs java:rootfs rust:native"

ensure_lang_images() { # $1 = rootfs recipe hash
  local force="${BREAKFIX_FORCE_IMAGES:-0}" entry name parent parent_recipe recipe ref t0
  declare -A recipes=([rootfs]="$1")
  for entry in $LANG_IMAGES; do
    name="${entry%%:*}"; parent="${entry#*:}"
    parent_recipe="${recipes[$parent]}"
    recipe="$(str_hash "lang-$name v1 parent=$parent_recipe files=$(dir_hash "$ROOT/images/lang/$name")")"
    recipes[$name]="$recipe"
    ref="breakfix/lang-$name:$SUITE"
    if [ -n "${BREAKFIX_LANG_IMAGES:-}" ] && ! [[ " $BREAKFIX_LANG_IMAGES " == *" $name "* ]]; then continue; fi
    if [ "$force" = 1 ] || [ "$(image_recipe "$ref")" != "$recipe" ]; then
      say "building $ref (images/lang/$name)"
      t0=$SECONDS; build_dockerfile_image "$ref" "$ROOT/images/lang/$name" "$recipe"
      say "built $ref in $((SECONDS - t0)) s ($("$DOCKER" image inspect -f '{{.Size}}' "$ref" | awk '{printf "%.0f MB", $1 / 1e6}'))"
    fi
  done
}

# ---------------------------------------------------------------- main
ensure_packages
ensure_daemon
if [ "${BREAKFIX_SKIP_IMAGES:-0}" != 1 ]; then
  ensure_images
  # A dockerd that was already running (or one systemd manages) is never restarted by this
  # script: if it cannot cap a sandbox's disk, say what to do.
  if [ "${BREAKFIX_DISK_CAP:-on}" != off ] && [ "$(bash "$ROOT/scripts/disk-cap.sh" probe "$SOCK" 2>/dev/null)" != on ]; then
    say "WARNING: this dockerd cannot cap a sandbox's disk, so breakfix serve refuses to start sandboxes on it: stop dockerd and run make setup again (it then starts one on a capped btrfs data root), or give Docker such a data root yourself (README, Disk cap), or set BREAKFIX_DISK_CAP=off to run without a cap."
  fi
fi
