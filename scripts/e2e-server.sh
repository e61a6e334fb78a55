#!/usr/bin/env bash
# Starts and stops the Breakfix server for the end-to-end tests, by its own pid file.
#   scripts/e2e-server.sh start|stop|kill9|restart
# Environment: BREAKFIX_E2E_DIR (state: data dir, pid file, log; required), BREAKFIX_E2E_PORT
# (default 18080), DATABASE_URL (optional, else SQLite in the state dir).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${BREAKFIX_E2E_DIR:?set BREAKFIX_E2E_DIR}"
PORT="${BREAKFIX_E2E_PORT:-18080}"
PIDFILE="$DIR/server.pid"
mkdir -p "$DIR"

say() { printf 'e2e-server: %s\n' "$*"; }

start() {
  if curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then
    say "something already answers on port $PORT; stop it or set BREAKFIX_E2E_PORT."
    exit 1
  fi
  # The shell records its own pid, then becomes the server: the pid file names the server itself.
  (cd "$ROOT" && setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PIDFILE" \
      "$ROOT/.build/debug/breakfix" serve --port "$PORT" --data-dir "$DIR/data" >>"$DIR/server.log" 2>&1 &)
  for _ in $(seq 1 100); do
    if curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then
      say "serving on http://127.0.0.1:$PORT (pid $(cat "$PIDFILE"))"
      return 0
    fi
    sleep 0.2
  done
  say "the server did not answer within 20 s; its log:"
  tail -30 "$DIR/server.log" >&2
  exit 1
}

stop() {
  [ -f "$PIDFILE" ] || return 0
  local pid; pid="$(cat "$PIDFILE")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
}

kill9() {
  [ -f "$PIDFILE" ] || return 0
  local pid; pid="$(cat "$PIDFILE")"
  kill -KILL "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$PIDFILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  kill9) kill9 ;;
  restart) stop; start ;;
  *) echo "usage: $0 start|stop|kill9|restart" >&2; exit 2 ;;
esac
