#!/usr/bin/env bash
# Benchmark of the hot path: requests made with a partner's account-scoped token (each goes through the
# access-rule verticle: one indexed read, touches coalesced) against the same route called by the
# account's owner. Builds the jar, starts the service on a fresh embedded database with demo data,
# runs wrk three times per caller and writes the medians to bench/results/access-check.md.
# Usage: bench/access-check.sh [duration-seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
CONNECTIONS=${2:-32}
PORT=${BENCH_PORT:-18090}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v psql >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null; }
./mvnw -B -q -DskipTests -Pembedded-postgres package
DATA=$(mktemp -d)
LOG=$DATA/service.log
PORT=$PORT DATA_DIR=$DATA DEMO=true JWT_SECRET=bench-secret-bench-secret-bench-secret-0123 \
  java -jar target/partner-access-*-SNAPSHOT.jar >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 300); do curl -sf "localhost:$PORT/health" >/dev/null && break; sleep 1; done
BASE="http://localhost:$PORT/api/v1"
tok() { curl -s -XPOST "$BASE/auth/token" -H 'content-type: application/json' \
  -d "{\"email\":\"$1\",\"password\":\"demo-password\"}" | sed -E 's/.*"token":"([^"]+)".*/\1/'; }
PARTNER=$(tok partner@demo.test)
OWNER=$(tok owner@acme.test)
ACME=$(curl -s "$BASE/partner/customers" -H "Authorization: Bearer $PARTNER" \
  | grep -oE '"accountId":"[^"]+","connectionId":"[^"]+","businessName":"Acme' | head -1 | cut -d'"' -f4)
SESSION=$(curl -s -XPOST "$BASE/partner/customers/$ACME/sessions" -H "Authorization: Bearer $PARTNER" \
  | sed -E 's/.*"token":"([^"]+)".*/\1/')
PGPORT=$(grep -oE 'Embedded PostgreSQL on port [0-9]+' "$LOG" | grep -oE '[0-9]+$')
commits() { psql -qtA "postgresql://postgres:postgres@localhost:$PGPORT/partneraccess" \
  -c "SELECT xact_commit FROM pg_stat_database WHERE datname = 'partneraccess'"; }
URL="http://localhost:$PORT/api/v1/account/jobs?limit=1"
run() { # $1 token → "req/s p50(ms) p99(ms)"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $1" "$URL" 2>/dev/null | awk '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
    END {print rps, p50, p99}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wrk -t1 -c4 -d3s -H "Authorization: Bearer $SESSION" "$URL" >/dev/null 2>&1 # warm-up
declare -A RESULTS
for who in partner owner; do
  token=$SESSION; [ "$who" = owner ] && token=$OWNER
  : >"$DATA/$who"
  for i in 1 2 3; do run "$token" >>"$DATA/$who"; done
  RESULTS[$who]="$(cut -d' ' -f1 "$DATA/$who" | median) $(cut -d' ' -f2 "$DATA/$who" | sed 's/ms//' | median) $(cut -d' ' -f3 "$DATA/$who" | sed 's/ms//' | median)"
done
# Statements per request: transactions committed by the database during 1,000 sequential partner requests.
# (PostgreSQL publishes a backend's statistics when it has been idle ~10 s, hence the pauses.)
sleep 12
before=$(commits)
for _ in $(seq 1 1000); do curl -s -o /dev/null -H "Authorization: Bearer $SESSION" "$URL"; done
sleep 12
after=$(commits)
PER_REQUEST=$(awk -v a="$after" -v b="$before" 'BEGIN {printf "%.2f", (a-b)/1000}')
read -r P_RPS P_P50 P_P99 <<<"${RESULTS[partner]}"
read -r O_RPS O_P50 O_P99 <<<"${RESULTS[owner]}"
RESULT=bench/results/access-check.md
{
  echo "# Access check benchmark"
  echo
  echo "Run: \`bench/access-check.sh $DURATION $CONNECTIONS\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)."
  echo "Route: \`GET /api/v1/account/jobs?limit=1\` (one handler query), wrk -t2 -c$CONNECTIONS, ${DURATION}s x 3 runs; medians."
  echo
  echo "| caller | requests/s | p50 latency (ms) | p99 latency (ms) |"
  echo "|---|---|---|---|"
  echo "| partner, account-scoped token (access check over the event bus) | $P_RPS | $P_P50 | $P_P99 |"
  echo "| account owner (role read from the database) | $O_RPS | $O_P50 | $O_P99 |"
  echo
  echo "Partner/owner throughput ratio: $(awk -v p="$P_RPS" -v o="$O_RPS" 'BEGIN {printf "%.2f", p/o}')."
  echo "Database transactions per partner request (1,000 sequential requests, touches flushed in batches): $PER_REQUEST"
  echo "(one for the access check, one for the handler's own query; the touch flush adds about one per second, not one per request)."
} >"$RESULT"
cat "$RESULT"
