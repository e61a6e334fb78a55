#!/usr/bin/env bash
# Local verification of the built-in code challenges, with host tools only (no Docker):
# compiles every reference solution in challenges/*/solutions/, runs it on every sample and
# hidden test under `timeout` and /usr/bin/time, compares the output the way the challenge's
# checker says (exact | tokens | float:EPS | custom checker.py), and checks that
#   - every ac-  passes every test (and warns when it needs more than a third of the CPU limit
#     or more than half of the memory limit),
#   - every wa-/tle-/mle-/re-/ole-/ce- gets that verdict at its first failing test (the judge
#     stops there with `scoring: first`, and reports the first failure's verdict).
#
# Usage: challenges/check-solutions.sh [slug ...]        (default: every challenge)
# Needs: bash, coreutils (timeout, head), /usr/bin/time, python3, and for the solutions
#        gcc, g++, go, rustc (Debian's /usr/bin/rustc preferred: 1.63 like the judge), javac/java.
# Exit status: 0 if everything matched, 1 otherwise.
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d /tmp/check-solutions.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
RUSTC=/usr/bin/rustc; [ -x "$RUSTC" ] || RUSTC=rustc
export GOCACHE="$WORK/.gocache" GOPATH="$WORK/.gopath" GO111MODULE=off
FAILURES=0

# python3 helper: limits from challenge.yaml, and output comparison.
HELPER="$WORK/helper.py"
cat >"$HELPER" <<'PY'
import re, subprocess, sys

def size(s):
    m = re.fullmatch(r"(\d+)([kmg]?)b?", s.strip().lower())
    return int(m.group(1)) * {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[m.group(2)]

def seconds(s):
    s = s.strip().lower()
    return float(s[:-2]) / 1000 if s.endswith("ms") else float(s.rstrip("s"))

def limits(yaml):
    text = open(yaml).read()
    lim = dict(kv.split(":", 1) for kv in re.search(r"^limits:\s*\{(.*)\}", text, re.M).group(1).split(","))
    lim = {k.strip(): v.strip() for k, v in lim.items()}
    checker = re.search(r"^checker:\s*(\S+)", text, re.M).group(1)
    print(seconds(lim["time"]), seconds(lim["wall"]), size(lim["memory"]), size(lim["output"]), checker)

def number(tok):
    try:
        return float(tok)
    except ValueError:
        return None

def compare(checker, inp, exp, act, folder):
    e, a = open(exp, "rb").read(), open(act, "rb").read()
    if checker == "exact":
        return e.rstrip() == a.rstrip(), "differs"
    if checker == "custom":
        r = subprocess.run([sys.executable, folder + "/checker.py", inp, exp, act], capture_output=True, text=True)
        lines = r.stdout.split("\n")
        return r.returncode == 0 and lines[0].strip() == "OK", (lines[1] if len(lines) > 1 else r.stderr[-200:]).strip()
    et, at = e.split(), a.split()
    if len(et) != len(at):
        return False, "expected %d tokens, got %d" % (len(et), len(at))
    eps = float(checker.split(":", 1)[1]) if checker.startswith("float:") else None
    for i, (x, y) in enumerate(zip(et, at)):
        if x == y:
            continue
        if eps is not None:
            fx, fy = number(x), number(y)
            if fx is not None and fy is not None and (abs(fx - fy) <= eps or abs(fx - fy) <= eps * abs(fx)):
                continue
        return False, "token %d: expected %s, got %s" % (i + 1, x[:40].decode(errors="replace"), y[:40].decode(errors="replace"))
    return True, ""

if sys.argv[1] == "limits":
    limits(sys.argv[2])
else:
    ok, why = compare(*sys.argv[2:7])
    print("OK" if ok else "NO")
    print(why)
PY

lang_of() {
    case "$1" in
        *.c) echo c ;; *.cpp|*.cc) echo cpp ;; *.py) echo python3 ;; *.go) echo go ;;
        *.rs) echo rust ;; *.java) echo java ;; *.sh) echo bash ;; *) echo unknown ;;
    esac
}

# compile SRC LANG DIR -> prints nothing, returns non-zero on a compilation error
compile() {
    local src="$1" lang="$2" dir="$3"
    case "$lang" in
        c) cp "$src" "$dir/main.c" && gcc -O2 -std=gnu17 -o "$dir/main" "$dir/main.c" -lm ;;
        cpp) cp "$src" "$dir/main.cpp" && g++ -O2 -std=gnu++17 -o "$dir/main" "$dir/main.cpp" ;;
        go) cp "$src" "$dir/main.go" && (cd "$dir" && go build -o main main.go) ;;
        rust) cp "$src" "$dir/main.rs" && (cd "$dir" && "$RUSTC" -O --edition 2021 -o main main.rs) ;;
        java) cp "$src" "$dir/Main.java" && (cd "$dir" && javac -encoding UTF-8 Main.java) ;;
        python3) cp "$src" "$dir/main.py" && python3 -m py_compile "$dir/main.py" ;;
        bash) cp "$src" "$dir/main.sh" && bash -n "$dir/main.sh" ;;
        *) return 1 ;;
    esac
}

run_cmd() {
    case "$1" in
        c|cpp|go|rust) echo "./main" ;; python3) echo "python3 main.py" ;; bash) echo "bash main.sh" ;;
        java) echo "java -XX:+UseSerialGC -Xss64m Main" ;;
    esac
}

# run_test DIR LANG INPUT -> sets R_VERDICT_RAW (OK|TLE|MLE|RE|OLE), R_CPU, R_WALL, R_RSS_KB, R_EXIT
run_test() {
    local dir="$1" lang="$2" input="$3"
    local factor=1; [ "$lang" = java ] && factor=2
    local cpu_lim wall_lim kill_after
    cpu_lim=$(awk -v t="$TIME" -v f=$factor 'BEGIN{print t*f}')
    wall_lim=$(awk -v t="$WALL" -v f=$factor 'BEGIN{print t*f}')
    # kill at 3x the CPU limit + 1 s or the wall limit, whichever is later: a TLE must be robust
    kill_after=$(awk -v c="$cpu_lim" -v w="$wall_lim" 'BEGIN{k=3*c+1; if (w>k) k=w; print k}')
    local vlimit=unlimited
    case "$lang" in c|cpp|python3|rust|bash) vlimit=$(( (MEM * 4 > 1073741824 ? MEM * 4 : 1073741824) / 1024 )) ;; esac
    (
        cd "$dir" || exit 99
        ulimit -v "$vlimit"
        # shellcheck disable=SC2046
        /usr/bin/time -f "%e %U %S %M %x" -o "$dir/time.txt" timeout --foreground -s KILL "$kill_after" $(run_cmd "$lang") \
            <"$input" 2>"$dir/stderr.txt" | head -c $((OUT + 1)) >"$dir/out.txt"
        exit "${PIPESTATUS[0]}"
    )
    local status=$?
    local last; last=$(tail -n 1 "$dir/time.txt" 2>/dev/null)
    read -r R_WALL ucpu scpu R_RSS_KB R_EXIT <<<"$last"
    local sig; sig=$(sed -n 's/.*terminated by signal \([0-9]*\).*/\1/p' "$dir/time.txt")
    [ -n "$sig" ] && R_EXIT=$((128 + sig))
    R_CPU=$(awk -v u="$ucpu" -v s="$scpu" 'BEGIN{printf "%.2f", u+s}')
    local outsize errsize; outsize=$(stat -c %s "$dir/out.txt"); errsize=$(stat -c %s "$dir/stderr.txt")
    if [ "$R_RSS_KB" -gt $((MEM / 1024)) ] && [ "$lang" != java ]; then R_VERDICT_RAW=MLE
    elif [ $((outsize + errsize)) -gt "$OUT" ]; then R_VERDICT_RAW=OLE
    elif [ "$R_EXIT" = 137 ] || awk -v c="$R_CPU" -v l="$cpu_lim" -v w="$R_WALL" -v wl="$wall_lim" 'BEGIN{exit !(c>l || w>wl)}'; then
        R_VERDICT_RAW=TLE
    elif [ "$status" != 0 ] || [ "$R_EXIT" != 0 ]; then R_VERDICT_RAW=RE
    else R_VERDICT_RAW=OK
    fi
}

check_challenge() {
    local folder="$1" slug; slug=$(basename "$folder")
    read -r TIME WALL MEM OUT CHECKER <<<"$(python3 "$HELPER" limits "$folder/challenge.yaml")"
    echo "== $slug (time ${TIME}s, wall ${WALL}s, memory $((MEM >> 20)) MiB, output $((OUT >> 10)) KiB, checker $CHECKER)"
    local tests=()
    for f in "$folder"/samples/*.in; do tests+=("$f"); done
    for f in "$folder"/tests/*.in; do tests+=("$f"); done
    for src in "$folder"/solutions/*; do
        local name; name=$(basename "$src")
        local want; want=$(echo "${name%%-*}" | tr a-z A-Z)
        local lang; lang=$(lang_of "$name")
        local dir="$WORK/$slug-$name"; mkdir -p "$dir"
        local got="" where="" maxcpu=0 maxwall=0 maxrss=0 why=""
        if ! compile "$src" "$lang" "$dir" >"$dir/compile.txt" 2>&1; then
            got=CE; where="compile"; why=$( (grep -iE "error" "$dir/compile.txt"; cat "$dir/compile.txt") | grep -v '^#' | head -n1 | sed "s|$dir/||" | cut -c1-120)
        else
            for t in "${tests[@]}"; do
                local label; label="$(basename "$(dirname "$t")")/$(basename "$t" .in)"
                run_test "$dir" "$lang" "$t"
                maxcpu=$(awk -v a="$maxcpu" -v b="$R_CPU" 'BEGIN{print (b>a)?b:a}')
                maxwall=$(awk -v a="$maxwall" -v b="$R_WALL" 'BEGIN{print (b>a)?b:a}')
                [ "$R_RSS_KB" -gt "$maxrss" ] && maxrss=$R_RSS_KB
                local v=$R_VERDICT_RAW
                if [ "$v" = OK ]; then
                    local res; res=$(python3 "$HELPER" compare "$CHECKER" "$t" "${t%.in}.out" "$dir/out.txt" "$folder")
                    if [ "$(head -n1 <<<"$res")" = OK ]; then v=AC; else v=WA; why=$(tail -n1 <<<"$res" | cut -c1-120); fi
                fi
                case "$v" in
                    AC) ;;
                    TLE) why="cpu ${R_CPU}s wall ${R_WALL}s$([ "$R_EXIT" = 137 ] && echo ', killed')" ;;
                    MLE) why="peak RSS $((R_RSS_KB / 1024)) MiB" ;;
                    RE) why="exit $R_EXIT: $(tail -n1 "$dir/stderr.txt" | cut -c1-100)" ;;
                    OLE) why="output > $OUT bytes" ;;
                esac
                if [ "$v" != AC ]; then got=$v; where=$label; break; fi
            done
            [ -z "$got" ] && got=AC
        fi
        local res=ok
        [ "$got" != "$want" ] && { res=MISMATCH; FAILURES=$((FAILURES + 1)); }
        local note=""
        if [ "$want" = AC ] && [ "$got" = AC ]; then
            awk -v c="$maxcpu" -v t="$TIME" -v l="$lang" 'BEGIN{f=(l=="java")?2:1; exit !(c > t*f/3)}' && note=" WARNING: over a third of the CPU limit"
            [ "$lang" != java ] && [ "$maxrss" -gt $((MEM / 2048)) ] && note="$note WARNING: over half the memory limit"
        fi
        printf '  %-8s %-28s %-4s max cpu %5ss, wall %5ss, rss %4d MiB%s%s\n' "$res" "$name" "$got" "$maxcpu" "$maxwall" \
            $((maxrss / 1024)) "${where:+  at $where}${why:+ ($why)}" "$note"
    done
}

if [ $# -gt 0 ]; then folders=(); for s in "$@"; do folders+=("$ROOT/$s"); done
else folders=(); for d in "$ROOT"/*/; do [ -f "$d/challenge.yaml" ] && folders+=("${d%/}"); done; fi
for f in "${folders[@]}"; do check_challenge "$f"; done
echo
if [ "$FAILURES" = 0 ]; then echo "all reference solutions got their expected verdicts"; exit 0; fi
echo "$FAILURES reference solution(s) did NOT get their expected verdict"; exit 1
