#!/usr/bin/env bash
# The database-backed tests again on a real PostgreSQL (installed from Debian's packages if
# missing, a throwaway cluster on 127.0.0.1 started and stopped here).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SWIFT="${SWIFT:-$(command -v swift || echo /opt/swift/usr/bin/swift)}"
url="$(bash scripts/test-postgres.sh)"
trap 'bash scripts/test-postgres.sh stop' EXIT
export BREAKFIX_TEST_DATABASE_URL="$url"
# One after the other: the persistence tests reset the schema, which the web tests use.
"$SWIFT" test --skip-build --filter PersistenceTests
"$SWIFT" test --skip-build --no-parallel --filter WebTests
