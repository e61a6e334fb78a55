#!/usr/bin/env bash
# The abuse suite: the real server (SQLite, its own port and state dir), the real dockerd, real
# sandboxes attacked from inside through the terminal WebSocket (tests/abuse). Prints the table
# attack | expected | observed | verdict at the end, removes every sandbox the server made.
# Environment: BREAKFIX_ABUSE_PORT (default 18091), BREAKFIX_DISK_CAP and DOCKER_HOST (passed to the server),
# BREAKFIX_ABUSE_TABLE (also write the table as markdown there). Extra arguments go to pytest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export BREAKFIX_E2E_DIR="$(mktemp -d /tmp/breakfix-abuse.XXXXXX)"
export BREAKFIX_E2E_PORT="${BREAKFIX_ABUSE_PORT:-18091}"
export BREAKFIX_URL="http://127.0.0.1:$BREAKFIX_E2E_PORT"
PY=/usr/bin/python3
SOCK="${DOCKER_HOST:-unix:///var/run/docker.sock}"; SOCK="${SOCK#unix://}"

cleanup() {
  bash "$ROOT/scripts/e2e-server.sh" stop || true
  owner=$(grep -ho 'breakfix.owner=server-[0-9a-f]*' "$BREAKFIX_E2E_DIR/server.log" 2>/dev/null | head -1)
  if [ -n "$owner" ]; then
    filter=$("$PY" -c 'import json,sys,urllib.parse; print(urllib.parse.quote(json.dumps({"label":[sys.argv[1]]})))' "$owner")
    ids=$(curl -s --unix-socket "$SOCK" "http://docker/containers/json?all=1&filters=$filter" \
      | "$PY" -c 'import json,sys; print(" ".join(c["Id"] for c in json.load(sys.stdin)))' 2>/dev/null || true)
    for id in $ids; do curl -s -X DELETE --unix-socket "$SOCK" "http://docker/containers/$id?force=1&v=1" >/dev/null; done
  fi
  rm -rf "$BREAKFIX_E2E_DIR"
}
trap cleanup EXIT

"$PY" -c 'import pytest, websocket' 2>/dev/null \
  || { echo "abuse: $PY cannot import pytest and websocket; run scripts/browser-test.sh once (it installs them) or apt-get install python3-pytest python3-websocket." >&2; exit 1; }
bash "$ROOT/scripts/e2e-server.sh" start
set +e
"$PY" -m pytest -q -p no:cacheprovider -rN tests/abuse "$@"
rc=$?
set -e
[ "$rc" -eq 5 ] && { echo "abuse: pytest collected no tests: failing."; exit 1; }
exit "$rc"
