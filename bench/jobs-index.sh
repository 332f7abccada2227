#!/usr/bin/env bash
# EXPLAIN ANALYZE of the jobs list query (jobs/JobRepository.LIST) with the old index (account_id, created_at DESC)
# and with V020's (account_id, created_at DESC, id), on the demo account Acme after adding N jobs (default
# 10,000) to it. Builds the jar, starts it on a fresh embedded database, swaps the indexes with psql.
# Writes bench/results/jobs-index.md.  Usage: bench/jobs-index.sh [jobs-to-add]
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-10000}
PORT=${BENCH_PORT:-18092}
command -v psql >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null; }
[ -f target/partner-access-0.1.0-SNAPSHOT.jar ] || ./mvnw -B -q -DskipTests -Pembedded-postgres package
DATA=$(mktemp -d)
LOG=$DATA/service.log
PORT=$PORT DATA_DIR=$DATA DEMO=true java -jar target/partner-access-0.1.0-SNAPSHOT.jar >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 180); do curl -sf "localhost:$PORT/health" >/dev/null && break; sleep 1; done
PGPORT=$(grep -oE 'Embedded PostgreSQL on port [0-9]+' "$LOG" | grep -oE '[0-9]+$')
sql() { psql -qtA -v ON_ERROR_STOP=1 "postgresql://postgres:postgres@localhost:$PGPORT/partneraccess" "$@"; }
ACME=$(sql -c "SELECT id FROM accounts WHERE business_name LIKE 'Acme%' LIMIT 1")
sql -c "INSERT INTO jobs (id, account_id, title, created_at)
        SELECT gen_random_uuid(), '$ACME', 'bench job ' || g, now() - g * interval '1 minute'
          FROM generate_series(1, $JOBS) g; ANALYZE jobs;"
COUNT=$(sql -c "SELECT count(*) FROM jobs WHERE account_id = '$ACME'")
QUERY=$(sed -n '/static final String LIST = """/,/"""/p' src/main/java/com/partneraccess/jobs/JobRepository.java \
  | sed '1d; s/""";//' | sed "s/\$1/'$ACME'/; s/\$2/20/")
explain() { # prints the plan, then the median execution time of 21 runs
  sql -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $QUERY"
  for _ in $(seq 1 21); do sql -c "EXPLAIN (ANALYZE, FORMAT JSON) $QUERY" | grep -oE '"Execution Time": [0-9.]+' | grep -oE '[0-9.]+$'; done \
    | sort -n | awk '{a[NR]=$1} END {print "median execution time of 21 runs: " a[11] " ms"}'
}
sql -c "DROP INDEX IF EXISTS jobs_account_recent; DROP INDEX IF EXISTS jobs_account;
        CREATE INDEX jobs_account ON jobs (account_id, created_at DESC); ANALYZE jobs;"
BEFORE=$(explain)
sql -f src/main/resources/db/migration/V020__jobs_index.sql
sql -c "ANALYZE jobs"
AFTER=$(explain)
RESULT=bench/results/jobs-index.md
{
  echo "# Jobs list index (V020)"
  echo
  echo "Run: \`bench/jobs-index.sh $JOBS\` on $(date -u +%Y-%m-%d), $(nproc) cores, embedded PostgreSQL 17; the demo account Acme with $COUNT jobs;"
  echo "query: \`jobs/JobRepository.LIST\` with \`LIMIT 20\`. The machine is shared; the plan shape is the result, the times are indicative."
  echo
  echo "## Before: index (account_id, created_at DESC)"
  echo '```'; echo "$BEFORE"; echo '```'
  echo
  echo "## After: V020, index (account_id, created_at DESC, id)"
  echo '```'; echo "$AFTER"; echo '```'
} >"$RESULT"
cat "$RESULT"
