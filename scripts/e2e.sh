#!/usr/bin/env bash
# End-to-end: the real server on a throwaway SQLite file, the real dockerd, real headless
# Chromium. Runs the browser tests (play a scenario, crash-and-restart), then stops the server
# and removes every sandbox it made.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export BREAKFIX_E2E_DIR="$(mktemp -d /tmp/breakfix-e2e.XXXXXX)"
export BREAKFIX_E2E_PORT="${BREAKFIX_E2E_PORT:-18080}"
export BREAKFIX_URL="http://127.0.0.1:$BREAKFIX_E2E_PORT"
export BREAKFIX_ARTIFACTS="${BREAKFIX_ARTIFACTS:-$ROOT/test-artifacts}"

cleanup() {
  bash "$ROOT/scripts/e2e-server.sh" stop || true
  # Sandboxes of this server only (the reaper would get them too; a test run leaves none).
  ids=$(curl -s --unix-socket /var/run/docker.sock \
    "http://docker/containers/json?all=1&filters=%7B%22label%22%3A%5B%22breakfix.owner%3Dserver%22%5D%7D" \
    | python3 -c 'import json,sys; print(" ".join(c["Id"] for c in json.load(sys.stdin)))' 2>/dev/null || true)
  for id in $ids; do curl -s -X DELETE --unix-socket /var/run/docker.sock "http://docker/containers/$id?force=1&v=1" >/dev/null; done
  rm -rf "$BREAKFIX_E2E_DIR"
}
trap cleanup EXIT

bash "$ROOT/scripts/e2e-server.sh" start
bash "$ROOT/scripts/browser-test.sh" "$@"
