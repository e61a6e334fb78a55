#!/usr/bin/env bash
# Put xterm.js into vendor/xterm/ (git-ignored) for the web UI.
#
# Source: the PINNED PyPI sdist webssh==1.6.3, which ships a minified xterm.js
# 4.2.0 build and its fit addon. We take exactly three files from it:
#
#   webssh-1.6.3/webssh/static/js/xterm.min.js          -> vendor/xterm/xterm.js
#   webssh-1.6.3/webssh/static/js/xterm-addon-fit.min.js -> vendor/xterm/xterm-addon-fit.js
#   webssh-1.6.3/webssh/static/css/xterm.min.css         -> vendor/xterm/xterm.css
#
# and check each against a sha256 pinned below. The page loads them from
# /vendor/xterm/...; xterm.js defines the global `Terminal`, the addon
# `FitAddon.FitAddon`.
#
# Idempotent and quiet: prints nothing when the files are already present and
# match; one line when it installs them; one-sentence error on failure.
#
# Environment:
#   BREAKFIX_VENDOR_DIR=<dir>   vendor root (same variable the server reads for
#                               /vendor/); files go to <dir>/xterm/. Default <repo>/vendor
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${BREAKFIX_VENDOR_DIR:-$ROOT/vendor}/xterm"

PKG_NAME=webssh
PKG_VERSION=1.6.3
XTERM_VERSION=4.2.0   # the minified file has no version string; 4.2.0 is what webssh 1.6.x bundles
PREFIX="$PKG_NAME-$PKG_VERSION/webssh/static"

# dest name | path inside the sdist | sha256
FILES=(
  "xterm.js|$PREFIX/js/xterm.min.js|96a52b10e7bf0ae6150588b72649fe4335116c5a98ddafe608037234ab653178"
  "xterm-addon-fit.js|$PREFIX/js/xterm-addon-fit.min.js|247435fe116bb4230fc7d45b34f4cf1478dd3adc63fdcdae33daba5b32795a59"
  "xterm.css|$PREFIX/css/xterm.min.css|09ae6bd4cc0f559c4c77b5cec7451ae686fd815d09c586cfd819630cd25709f9"
)

VERSION_TEXT="xterm.js $XTERM_VERSION (with xterm-addon-fit)
source: PyPI sdist $PKG_NAME==$PKG_VERSION ($PREFIX/)
"

say() { printf 'fetch-xterm: %s\n' "$*"; }
die() { printf 'fetch-xterm: error: %s\n' "$*" >&2; exit 1; }

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

up_to_date() {
  local entry name sum
  for entry in "${FILES[@]}"; do
    IFS='|' read -r name _ sum <<<"$entry"
    [ -f "$DEST/$name" ] || return 1
    [ "$(sha_of "$DEST/$name")" = "$sum" ] || return 1
  done
  [ -f "$DEST/VERSION" ] && [ "$(cat "$DEST/VERSION")" = "$(printf '%s' "$VERSION_TEXT")" ]
}

up_to_date && exit 0

command -v sha256sum >/dev/null || die "sha256sum is missing (install coreutils)."
command -v tar >/dev/null || die "tar is missing (apt-get install -y tar)."

# Prefer the active python3's pip; fall back to pip3 / Debian's python3.
PIP=()
for candidate in "python3 -m pip" "pip3" "/usr/bin/python3 -m pip"; do
  # shellcheck disable=SC2086
  if $candidate --version >/dev/null 2>&1; then read -r -a PIP <<<"$candidate"; break; fi
done
[ "${#PIP[@]}" -gt 0 ] || die "pip is not available (apt-get install -y python3-pip), so $PKG_NAME==$PKG_VERSION cannot be downloaded."

TMP="$(mktemp -d "${TMPDIR:-/tmp}/fetch-xterm.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

if ! "${PIP[@]}" download --quiet --disable-pip-version-check --no-deps \
      --no-binary :all: "$PKG_NAME==$PKG_VERSION" -d "$TMP/dl" >"$TMP/pip.log" 2>&1; then
  sed 's/^/  pip: /' "$TMP/pip.log" | tail -n 15 >&2
  die "pip could not download $PKG_NAME==$PKG_VERSION from the package index (is PyPI reachable?)."
fi

SDIST="$TMP/dl/$PKG_NAME-$PKG_VERSION.tar.gz"
[ -f "$SDIST" ] || die "pip did not produce $PKG_NAME-$PKG_VERSION.tar.gz (got: $(ls "$TMP/dl" | tr '\n' ' '))."

members=()
for entry in "${FILES[@]}"; do
  IFS='|' read -r _ member _ <<<"$entry"
  members+=("$member")
done
mkdir -p "$TMP/x"
tar -xzf "$SDIST" -C "$TMP/x" "${members[@]}" 2>"$TMP/tar.log" \
  || die "the sdist does not contain the expected xterm files ($(head -n1 "$TMP/tar.log"))."

for entry in "${FILES[@]}"; do
  IFS='|' read -r name member sum <<<"$entry"
  got="$(sha_of "$TMP/x/$member")"
  [ "$got" = "$sum" ] || die "sha256 mismatch for $member: expected $sum, got $got."
done

mkdir -p "$DEST"
for entry in "${FILES[@]}"; do
  IFS='|' read -r name member _ <<<"$entry"
  install -m 0644 "$TMP/x/$member" "$DEST/.$name.tmp"
  mv -f "$DEST/.$name.tmp" "$DEST/$name"
done
printf '%s' "$VERSION_TEXT" >"$DEST/.VERSION.tmp"
mv -f "$DEST/.VERSION.tmp" "$DEST/VERSION"

say "installed xterm.js $XTERM_VERSION from $PKG_NAME==$PKG_VERSION into ${DEST#"$ROOT"/}"
