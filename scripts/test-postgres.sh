#!/usr/bin/env bash
# A throwaway PostgreSQL for the test suite, in a temp dir, on 127.0.0.1 only.
#
#   url=$(scripts/test-postgres.sh)          # start (or reuse) it; prints the DATABASE_URL
#   BREAKFIX_TEST_DATABASE_URL=$url swift test --filter PersistenceTests
#   scripts/test-postgres.sh stop            # stop it and remove its directory
#
# Port: BREAKFIX_PG_PORT (default 55432). Installs Debian's postgresql package only when no
# server binaries are found. Never touches a system cluster: its own data directory, port and
# socket directory, stopped by its own pid file. Everything but the URL goes to stderr.
set -euo pipefail

port="${BREAKFIX_PG_PORT:-55432}"
database="breakfix_test"
# Where the temp dir of the cluster on this port is recorded, so that `stop` finds it.
pointer="${TMPDIR:-/tmp}/breakfix-test-postgres-${port}.dir"

say() { echo "test-postgres: $*" >&2; }
die() { say "$*"; exit 1; }

find_bin() {
    local dir
    for dir in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

# Runs a command as the cluster's owner: initdb and postgres refuse to run as root.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        if command -v runuser >/dev/null; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

stop() {
    if [[ ! -f "$pointer" ]]; then
        say "no test cluster on port $port"
        return 0
    fi
    local dir bin
    dir=$(cat "$pointer")
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        bin=$(find_bin) || die "PostgreSQL binaries not found; cannot stop the cluster in $dir"
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || {
            # pg_ctl failed (e.g. a stale pid file): end the postmaster named in our own pid file.
            local pid
            pid=$(head -1 "$dir/data/postmaster.pid" 2>/dev/null || true)
            [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
        }
    fi
    # Only ever a directory this script made (mktemp, recorded in the pointer).
    if [[ "$dir" == "${TMPDIR:-/tmp}"/breakfix-pg.* ]]; then
        rm -rf "$dir"
    fi
    rm -f "$pointer"
    say "stopped the test cluster on port $port"
}

start() {
    local bin dir
    if ! bin=$(find_bin); then
        [[ $(id -u) -eq 0 ]] || die "PostgreSQL is not installed; run as root (or: apt-get install -y postgresql)"
        say "installing postgresql"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update >&2
        apt-get install -y postgresql >&2
        bin=$(find_bin) || die "postgresql installed but initdb not found under /usr/lib/postgresql"
    fi
    if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
        die "user postgres does not exist (it comes with Debian's postgresql-common package)"
    fi

    # Reuse the cluster this script already started on this port.
    if [[ -f "$pointer" ]]; then
        dir=$(cat "$pointer")
        if [[ -d "$dir/data" ]] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
            ensure_database "$bin" "$dir"
            echo "postgres://postgres@127.0.0.1:${port}/${database}"
            return 0
        fi
        say "removing a stale test cluster in $dir"
        stop
    fi

    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        die "port $port on 127.0.0.1 is already in use; set BREAKFIX_PG_PORT to a free port"
    fi

    dir=$(mktemp -d "${TMPDIR:-/tmp}/breakfix-pg.XXXXXX")
    echo "$dir" >"$pointer"
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres: "$dir"
    fi
    chmod 700 "$dir"

    as_owner "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --no-locale \
        --auth-local=trust --auth-host=trust >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

    # Trust, but only on loopback and the private socket directory.
    as_owner sh -c "cat > '$dir/data/pg_hba.conf'" <<EOF
local all all trust
host  all all 127.0.0.1/32 trust
EOF
    as_owner sh -c "cat >> '$dir/data/postgresql.conf'" <<EOF

# breakfix test cluster
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 100
# A throwaway cluster: durability buys nothing here.
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start >&2 \
        || { cat "$dir/server.log" >&2 || true; die "the test cluster did not start"; }
    ensure_database "$bin" "$dir"
    say "test cluster running on 127.0.0.1:$port (data in $dir)"
    echo "postgres://postgres@127.0.0.1:${port}/${database}"
}

ensure_database() {
    local bin=$1 dir=$2 exists
    exists=$(as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$database'")
    if [[ "$exists" != "1" ]]; then
        as_owner "$bin/createdb" -h "$dir" -p "$port" -U postgres "$database" >&2
    fi
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    *) die "usage: $0 [start|stop]" ;;
esac
