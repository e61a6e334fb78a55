#!/usr/bin/env bash
# `make bench`: in-process benchmarks (Benchmarks/, ordo-one/benchmark), then the end-to-end
# figures against the raw Docker Engine API in the same run, then one `name value` line per figure.
#
# Environment:
#   BENCH_BUILD=release|debug   which breakfix binary to measure (default release, in .build-release)
#   BENCH_PERF=1                perf record the server during the echo test (Debian's linux-perf)
#   BENCH_SKIP_BUILD=1          measure the binary already built (no swift build)
#   BENCH_INPROCESS=0           skip the in-process benchmarks (default 1: run them)
#   BENCH_SCENARIO=SLUG         a shell scenario with a small image (default access-log-forensics)
#   BENCH_PORT_BASE=18100       servers listen on BASE, BASE+1, BASE+2 (keep within 18100–18109)
#   BENCH_RUNS, BENCH_RATE_SECONDS, BENCH_ECHO_SESSIONS, BENCH_ECHO_SECONDS, BENCH_IDLE_CAP, BENCH_IDLE_BATCH,
#   BENCH_JUDGE_RUNS, BENCH_JUDGE_SECONDS
#
# Every server is our own (fresh state directory, pid file); every sandbox a server made is removed
# at the end by its `breakfix.owner` label, every raw-baseline container by `breakfix.bench=1`.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
SWIFT="${SWIFT:-$(command -v swift || echo /opt/swift/usr/bin/swift)}"
SCENARIO="${BENCH_SCENARIO:-access-log-forensics}"
BUILD="${BENCH_BUILD:-release}"
PORT_BASE="${BENCH_PORT_BASE:-18100}"
RUNS="${BENCH_RUNS:-15}"
RATE_SECONDS="${BENCH_RATE_SECONDS:-20}"
ECHO_SESSIONS="${BENCH_ECHO_SESSIONS:-100}"
ECHO_SECONDS="${BENCH_ECHO_SECONDS:-20}"
IDLE_CAP="${BENCH_IDLE_CAP:-500}"
IDLE_BATCH="${BENCH_IDLE_BATCH:-50}"
PY=/usr/bin/python3
WORK="$(mktemp -d /tmp/breakfix-bench.XXXXXX)"
RESULTS="$WORK/results.txt"
START=$(date +%s)
SERVERS=()

say() { printf '== bench: %s\n' "$*"; }

# ---- servers: scripts/e2e-server.sh for the debug binary; the same launch for a release binary
BIN="$ROOT/.build/debug/breakfix"
server_start() {  # name port env...
  local name=$1 port=$2; shift 2
  local dir="$WORK/$name"
  mkdir -p "$dir"
  SERVERS+=("$dir")
  if [ "$BUILD" = debug ]; then
    env "$@" BREAKFIX_E2E_DIR="$dir" BREAKFIX_E2E_PORT="$port" bash "$ROOT/scripts/e2e-server.sh" start
  else
    # As scripts/e2e-server.sh start, with the release binary (that script runs .build/debug only).
    (env "$@" setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$dir/server.pid" \
        "$BIN" serve --port "$port" --data-dir "$dir/data" >>"$dir/server.log" 2>&1 &)
    for _ in $(seq 1 100); do
      curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && { echo "server $name on $port (pid $(cat "$dir/server.pid"))"; return 0; }
      sleep 0.2
    done
    tail -20 "$dir/server.log" >&2; return 1
  fi
}
owner_of() { grep -ho 'breakfix.owner=server-[0-9a-f]*' "$1/server.log" 2>/dev/null | head -1; }
server_stop() {  # dir: stop by pid, then remove every sandbox it made
  local dir=$1
  BREAKFIX_E2E_DIR="$dir" bash "$ROOT/scripts/e2e-server.sh" stop >/dev/null 2>&1 || true
  local owner; owner=$(owner_of "$dir")
  if [ -n "$owner" ]; then
    "$PY" - "$owner" <<'EOF'
import sys
sys.path.insert(0, "scripts/bench")
from bfbench import containers_with_label, remove_containers
ids = containers_with_label(sys.argv[1])
remove_containers(ids)
print(f"removed {len(ids)} sandboxes of {sys.argv[1]}")
EOF
  fi
}
cleanup() {  # quiet: the figures stay the last lines
  for dir in "${SERVERS[@]}"; do server_stop "$dir" >/dev/null 2>&1; done
  "$PY" scripts/bench/e2e.py sweep >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 1. set-up and build, side by side: the images' set-up waits mostly on the package mirror
# and the engine, the compiler on the CPU, so on a fresh machine the two overlap instead of adding
# up (the bench needs only the native language image of the judge).
say "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r), $(date -u +%FT%TZ)"
say "load average before: $(cut -d" " -f1-3 /proc/loadavg)"
t=$(date +%s)
( BREAKFIX_LANG_IMAGES="${BREAKFIX_LANG_IMAGES:-native}" bash scripts/setup.sh && bash scripts/fetch-xterm.sh ) \
  >"$WORK/setup.log" 2>&1 &
SETUP_PID=$!
# The release build has its own scratch path, so it never waits for (or blocks) a debug build's lock.
if [ "$BUILD" = release ]; then BIN="$ROOT/.build-release/release/breakfix"; fi
if [ "${BENCH_SKIP_BUILD:-0}" = 1 ]; then
  say "BENCH_SKIP_BUILD=1: measuring the existing $BIN"
elif [ "$BUILD" = release ]; then
  "$SWIFT" build -c release --product breakfix --scratch-path "$ROOT/.build-release" || exit 1
  say "swift build -c release: $(( $(date +%s) - t )) s"
else
  "$SWIFT" build --product breakfix || exit 1
  say "swift build (debug): $(( $(date +%s) - t )) s"
fi
if ! wait "$SETUP_PID"; then cat "$WORK/setup.log" >&2; say "set-up failed (above)"; exit 1; fi
grep -v '^$' "$WORK/setup.log" | sed 's/^/  setup: /' | tail -20
say "set-up and build: $(( $(date +%s) - t )) s"
# As `make run` does: sandboxes get a disk cap when the engine enforces one (README, Disk cap).
export BREAKFIX_DISK_CAP="${BREAKFIX_DISK_CAP:-$(bash scripts/disk-cap.sh probe)}"
"$BIN" scenario build "$SCENARIO" || exit 1

# ---- 2. in-process benchmarks
if [ "${BENCH_INPROCESS:-1}" != 0 ]; then
  t=$(date +%s)
  "$SWIFT" package --package-path Benchmarks --allow-writing-to-package-directory benchmark --no-progress \
    || say "in-process benchmarks failed"
  say "in-process benchmarks (build + run): $(( $(date +%s) - t )) s"
fi

# ---- 3. end-to-end
e2e() { "$PY" scripts/bench/e2e.py "$@" --scenario "$SCENARIO" 2>&1 | tee -a "$RESULTS"; }

t=$(date +%s)
server_start cold "$PORT_BASE" BREAKFIX_WORKERS=4 || exit 1
URL="http://127.0.0.1:$PORT_BASE"
e2e ready --url "$URL" --runs "$RUNS"
e2e check --url "$URL" --runs "$RUNS"
e2e rate --url "$URL" --seconds "$RATE_SECONDS" --concurrency 4 --owner "$(owner_of "$WORK/cold")"
server_stop "$WORK/cold"
say "ready, check, rate: $(( $(date +%s) - t )) s"

t=$(date +%s)
server_start warm "$((PORT_BASE + 1))" BREAKFIX_POOL="$SCENARIO=3" || exit 1
e2e warm --url "http://127.0.0.1:$((PORT_BASE + 1))" --runs "$RUNS"
server_stop "$WORK/warm"
say "warm: $(( $(date +%s) - t )) s"

t=$(date +%s)
# One anonymous user per session (the per-user limit stays 1); 4 start workers.
server_start load "$((PORT_BASE + 2))" BREAKFIX_WORKERS=4 || exit 1
e2e load --url "http://127.0.0.1:$((PORT_BASE + 2))" --pid "$(cat "$WORK/load/server.pid")" \
  --echo-sessions "$ECHO_SESSIONS" --echo-seconds "$ECHO_SECONDS" --cap "$IDLE_CAP" --batch "$IDLE_BATCH" \
  ${BENCH_PERF:+--perf-out "$WORK/perf.data"}
if [ -s "$WORK/perf.data" ]; then
  say "perf: where the server spent its CPU during a Breakfix typing turn (self time, top 40)"
  perf report -i "$WORK/perf.data" --stdio --no-children -g none --sort dso,symbol 2>/dev/null | grep -v '^#' | grep '%' | head -40
fi
server_stop "$WORK/load"
say "echo, idle: $(( $(date +%s) - t )) s"

t=$(date +%s)
"$PY" scripts/bench/judge.py --bin "$BIN" --runs "${BENCH_JUDGE_RUNS:-7}" --seconds "${BENCH_JUDGE_SECONDS:-30}" 2>&1 | tee -a "$RESULTS"
"$PY" scripts/bench/e2e.py sweep >/dev/null 2>&1 || true
say "judge: $(( $(date +%s) - t )) s"

# ---- 4. figures: each after its baseline and sample counts
say "make bench took $(( $(date +%s) - START )) s (build included)"
echo
figure() {  # name, grep pattern of its baseline lines
  grep -E "$2" "$RESULTS" | grep -vE '^(ready_cold_ratio|ready_warm_p50_ms|check_ratio|echo_p99_ms|idle_sessions|server_rss_kb_per_session|start_rate_ratio|judge_overhead_ratio|judge_throughput_per_min|judge_cpu_time_error_ms) '
  grep -E "^$1 " "$RESULTS" | tail -1 | grep . || echo "$1 n/a (its benchmark failed; see above)"
}
figure ready_cold_ratio '^ready_cold '
figure ready_warm_p50_ms '^(ready_warm |warm: no)'
figure check_ratio '^check (raw|breakfix|\(for)'
figure echo_p99_ms '^echo'
figure idle_sessions '^idle'
figure server_rss_kb_per_session '^NOTHING'
figure start_rate_ratio '^rate '
figure judge_overhead_ratio '^judge (raw|breakfix):'
figure judge_throughput_per_min '^judge throughput'
figure judge_cpu_time_error_ms '^judge cpu'
