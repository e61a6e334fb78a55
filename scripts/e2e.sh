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
# The crash and interview tests play this scenario: with a warm pool of one, their sessions are
# handed a pooled sandbox, so the pool's hand-off, refill and restart behaviour run for real.
export BREAKFIX_POOL="${BREAKFIX_POOL-access-log-forensics=1}"

cleanup() {
  bash "$ROOT/scripts/e2e-server.sh" stop || true
  # Sandboxes of this server only: their owner label is printed by `serve` at start.
  owner=$(grep -ho 'breakfix.owner=server-[0-9a-f]*' "$BREAKFIX_E2E_DIR/server.log" 2>/dev/null | head -1)
  if [ -n "$owner" ]; then
    filter=$(python3 -c 'import json,sys,urllib.parse; print(urllib.parse.quote(json.dumps({"label":[sys.argv[1]]})))' "$owner")
    ids=$(curl -s --unix-socket /var/run/docker.sock "http://docker/containers/json?all=1&filters=$filter" \
      | python3 -c 'import json,sys; print(" ".join(c["Id"] for c in json.load(sys.stdin)))' 2>/dev/null || true)
    for id in $ids; do curl -s -X DELETE --unix-socket /var/run/docker.sock "http://docker/containers/$id?force=1&v=1" >/dev/null; done
  fi
  rm -rf "$BREAKFIX_E2E_DIR"
}
trap cleanup EXIT

bash "$ROOT/scripts/e2e-server.sh" start
bash "$ROOT/scripts/browser-test.sh" "$@"
