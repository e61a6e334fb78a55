#!/usr/bin/env bash
# Two engines: the web tier on the machine's dockerd with no judge of its own
# (`serve --judge-workers 0`), and `breakfix judge-worker` on a second, throwaway dockerd (its own
# socket, data root and bridge, loopback only), both on one database. Submissions made through
# the server are judged on the second engine, and nothing of theirs runs on the first: the
# Engine API's event streams of both engines are recorded during the test and compared.
# Stops everything it started by pid and removes the second engine's state.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.build/debug/breakfix"
BASE=/var/lib/breakfix-judgetest RUN=/run/breakfix-judgetest
SOCK="$RUN/docker.sock"
BRIDGE=bfjudge0
PORT="${BREAKFIX_JUDGETEST_PORT:-18095}"
STATE="$(mktemp -d /tmp/breakfix-judgetest.XXXXXX)"
SLUG=sum-of-integers
say() { printf 'test-judge-engines: %s\n' "$*"; }
fail() { printf 'test-judge-engines: FAIL: %s\n' "$*" >&2; exit 1; }

stop_pid() {  # stop_pid FILE: TERM, wait up to 10 s, then KILL
  [ -f "$1" ] || return 0
  local pid; pid="$(cat "$1")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$1"
}

cleanup() {
  stop_pid "$STATE/events1.pid"; stop_pid "$STATE/events2.pid"
  stop_pid "$STATE/worker.pid"; stop_pid "$STATE/server.pid"
  if [ -S "$SOCK" ]; then
    for id in $(curl -s --unix-socket "$SOCK" 'http://docker/containers/json?all=1' | python3 -c 'import json,sys; print(" ".join(c["Id"] for c in json.load(sys.stdin)))' 2>/dev/null); do
      curl -s -X DELETE --unix-socket "$SOCK" "http://docker/containers/$id?force=1&v=1" >/dev/null || true
    done
  fi
  stop_pid "$RUN/docker.pid"
  ip link del "$BRIDGE" 2>/dev/null || true
  umount "$RUN/exec"/*/netns/* 2>/dev/null || true
  rm -rf "$BASE" "$RUN" "$STATE"
}
trap cleanup EXIT
cleanup
mkdir -p "$BASE" "$RUN" "$STATE"

[ -x "$BIN" ] || fail "build breakfix first (make test does)."
docker image inspect breakfix/lang-native:bookworm >/dev/null 2>&1 || fail "breakfix/lang-native:bookworm is missing (make setup builds it)."

# The second engine: overlay2 on this disk, no iptables, its own bridge (never --bridge none:
# that dockerd would delete the host's docker0 at start).
ip link add name "$BRIDGE" type bridge
ip addr add 10.214.214.1/24 dev "$BRIDGE"
setsid dockerd --host "unix://$SOCK" --data-root "$BASE/docker" --exec-root "$RUN/exec" --pidfile "$RUN/docker.pid" \
  --bridge "$BRIDGE" --iptables=false --ip-masq=false >"$STATE/dockerd2.log" 2>&1 &
for _ in $(seq 1 100); do curl -sf --unix-socket "$SOCK" http://docker/_ping >/dev/null 2>&1 && break; sleep 0.2; done
curl -sf --unix-socket "$SOCK" http://docker/_ping >/dev/null || { tail -20 "$STATE/dockerd2.log" >&2; fail "the second dockerd did not answer."; }
say "second dockerd on $SOCK (pid $(cat "$RUN/docker.pid"))"
docker save breakfix/lang-native:bookworm | DOCKER_HOST="unix://$SOCK" docker load -q >/dev/null
say "loaded breakfix/lang-native into it"

# Both engines' events for judge sandboxes, recorded for the whole test.
filter=$(python3 -c 'import json,urllib.parse; print(urllib.parse.quote(json.dumps({"label":["breakfix.kind=judge"],"type":["container"]})))')
setsid bash -c 'echo $$ >"$1"; exec curl -sN --unix-socket /var/run/docker.sock "http://docker/events?filters=$2"' _ "$STATE/events1.pid" "$filter" >"$STATE/events1.jsonl" 2>/dev/null &
setsid bash -c 'echo $$ >"$1"; exec curl -sN --unix-socket "$3" "http://docker/events?filters=$2"' _ "$STATE/events2.pid" "$filter" "$SOCK" >"$STATE/events2.jsonl" 2>/dev/null &

cd "$ROOT"
setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$STATE/server.pid" \
  "$BIN" serve --port "$PORT" --data-dir "$STATE/data" --judge-workers 0 >"$STATE/server.log" 2>&1 &
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || { tail -20 "$STATE/server.log" >&2; fail "the server did not start."; }
BREAKFIX_DISK_CAP=off setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$STATE/worker.pid" \
  "$BIN" judge-worker --data-dir "$STATE/data" --docker-host "unix://$SOCK" >"$STATE/worker.log" 2>&1 &
for _ in $(seq 1 50); do [ -s "$STATE/worker.pid" ] && break; sleep 0.1; done
say "server on :$PORT with no judge of its own; judge-worker (pid $(cat "$STATE/worker.pid")) on the second engine"

ac=$(ls "$ROOT/challenges/$SLUG/solutions/"ac-*.c | head -1)
wa=$(ls "$ROOT/challenges/$SLUG/solutions/"wa-*.c 2>/dev/null | head -1 || true)
out="$(timeout 120 "$BIN" submit "$SLUG" "$ac" --server "http://127.0.0.1:$PORT" 2>&1)" \
  || { tail -30 "$STATE/worker.log" >&2; fail "the accepted program was not accepted: $out"; }
printf '%s\n' "$out" | grep -q '^verdict: AC' || fail "no AC line: $out"
tests=$(printf '%s\n' "$out" | grep -c '^test ')
say "ok: $(basename "$ac") judged AC on the second engine, $tests test lines printed as they came"
if [ -n "$wa" ]; then
  set +e; out="$(timeout 120 "$BIN" submit "$SLUG" "$wa" --server "http://127.0.0.1:$PORT" 2>&1)"; code=$?; set -e
  [ "$code" -eq 1 ] || fail "a wrong program should exit 1, got $code: $out"
  printf '%s\n' "$out" | grep -q '^verdict: WA on test' || fail "no WA verdict: $out"
  say "ok: $(basename "$wa") judged $(printf '%s\n' "$out" | grep '^verdict' | cut -d' ' -f2-)"
fi
sleep 1
stop_pid "$STATE/events1.pid"; stop_pid "$STATE/events2.pid"
first=$(grep -c '"Action":"create"' "$STATE/events1.jsonl" || true)
second=$(grep -c '"Action":"create"' "$STATE/events2.jsonl" || true)
removed=$(grep -c '"Action":"destroy"' "$STATE/events2.jsonl" || true)
[ "$first" -eq 0 ] || fail "$first judge sandbox(es) were created on the first engine."
[ "$second" -ge 1 ] || fail "no judge sandbox was created on the second engine."
[ "$removed" -eq "$second" ] || fail "$second judge sandboxes were created on the second engine but $removed removed."
left=$(curl -s --unix-socket "$SOCK" 'http://docker/containers/json?all=1' | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$left" -eq 0 ] || fail "$left container(s) left on the second engine."
say "ok: the first engine created no judge sandbox; the second created $second and removed all of them"
