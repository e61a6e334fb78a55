#!/bin/bash
P() { runuser -u postgres -- psql -X -d shop "$@"; }
# who waits, and for whom
P -c "SELECT pid, usename, application_name, state, wait_event_type, pg_blocking_pids(pid) AS blocked_by,
             now() - xact_start AS xact_age, left(query, 60) AS query
      FROM pg_stat_activity WHERE datname = 'shop' ORDER BY xact_start"
# the root of the chain: a blocker that is not itself waiting for a lock
root=$(P -qAt -c "SELECT DISTINCT b FROM pg_stat_activity a, unnest(pg_blocking_pids(a.pid)) b
                   WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity w
                                     WHERE w.pid = b AND w.wait_event_type = 'Lock')")
echo "root blocker: $root"
P -c "SELECT pg_terminate_backend($root)"
sleep 4
P -c "SELECT pid, application_name, state, wait_event_type FROM pg_stat_activity WHERE datname = 'shop'"
tail -n 2 /var/log/deploy/deploy.log
