#!/usr/bin/env bash
# Browser end-to-end tests (tests/browser, selenium + headless chromium).
#
# Installs what is missing from Debian's packages (chromium, chromium-driver,
# python3-selenium, python3-pytest; apt-get update only when installing), then
# runs pytest with Debian's python3 against a server that the CALLER has
# already started (this script never starts one).
#
# Environment:
#   BREAKFIX_URL        server under test (default http://127.0.0.1:8080)
#   BREAKFIX_ARTIFACTS  screenshots / failure dumps (default ./test-artifacts)
# Extra arguments go to pytest (e.g. -k headless, -x).
#
# Exit code: pytest's; "no tests collected" (5) counts as a failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf 'browser-test: %s\n' "$*"; }
die() { printf 'browser-test: error: %s\n' "$*" >&2; exit 1; }

# Debian's python3: python3-selenium/python3-pytest install there (a pyenv or venv
# python3 earlier on PATH would not see them).
PY=/usr/bin/python3

PACKAGES=(chromium chromium-driver python3-selenium python3-pytest python3-websocket asciinema)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}); run as root or install them with apt-get."
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || die "apt-get update failed."
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed."
fi

[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing after install."
[ -x /usr/bin/chromedriver ] || die "/usr/bin/chromedriver is missing after install."
"$PY" -c 'import selenium, pytest' 2>/dev/null || die "$PY cannot import selenium and pytest."

export BREAKFIX_URL="${BREAKFIX_URL:-http://127.0.0.1:8080}"
export BREAKFIX_ARTIFACTS="${BREAKFIX_ARTIFACTS:-$ROOT/test-artifacts}"
mkdir -p "$BREAKFIX_ARTIFACTS"

set +e
"$PY" -m pytest -q -p no:cacheprovider tests/browser "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  say "pytest collected no tests: failing."
  exit 1
fi
[ "$rc" -eq 0 ] || say "failed (pytest exit $rc); screenshots and dumps in $BREAKFIX_ARTIFACTS"
exit "$rc"
