#!/usr/bin/env bash
# The hot path against a minimal Vert.x 5 app doing the same work (bench/minimal-app/MinimalApp.java: verify the
# HS256 JWT, the access check's SELECT, the route's jobs SELECT, small JSON), on the same embedded database.
# Runs, interleaved, ROUNDS times: the service with the partner's account-scoped token, the minimal app, the service
# with the owner's token, on GET /api/v1/account/jobs?limit=1, wrk -t2 -cCONNECTIONS for SECONDS each; measures
# each JVM's CPU (utime+stime from /proc) per request. Writes medians and paired ratios to bench/results/hot-path.md.
# Usage: bench/hot-path.sh [seconds] [connections] [rounds]
# BENCH_COMPARE="label=path.jar ..." also starts those builds of the service on the same database (one port each from
# BENCH_PORT+10) and runs each with the partner's token in every round ("partner-label"), interleaved with the rest:
# a before/after comparison paired within each round, on the same machine state.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
CONNECTIONS=${2:-32}
ROUNDS=${3:-5}
PORT=${BENCH_PORT:-18093}
MPORT=${BENCH_MINIMAL_PORT:-18094}
SECRET=bench-secret-bench-secret-bench-secret-0123
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q -DskipTests -Pembedded-postgres package
JAR=${BENCH_JAR:-$(ls target/partner-access-*-SNAPSHOT.jar | grep -v original | head -1)}
DATA=$(mktemp -d)
LOG=$DATA/service.log
PORT=$PORT DATA_DIR=$DATA DEMO=true JWT_SECRET=$SECRET java -jar "$JAR" >"$LOG" 2>&1 &
PID=$!
MPID=
XPIDS=()
trap 'kill $PID $MPID ${XPIDS[*]} 2>/dev/null; wait $PID $MPID ${XPIDS[*]} 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 180); do curl -sf "localhost:$PORT/health" >/dev/null && break; sleep 1; done
PGPORT=$(grep -oE 'Embedded PostgreSQL on port [0-9]+' "$LOG" | grep -oE '[0-9]+$')
PORT=$MPORT PGPORT=$PGPORT JWT_SECRET=$SECRET java -cp "$JAR" bench/minimal-app/MinimalApp.java >"$DATA/minimal.log" 2>&1 &
MPID=$!
declare -A XPID XURL
XLABELS=()
i=0
for spec in ${BENCH_COMPARE:-}; do
  label=${spec%%=*}; jar=${spec#*=}; i=$((i + 1)); xport=$((PORT + 10 + i))
  PORT=$xport DATABASE_URL="postgresql://postgres:postgres@localhost:$PGPORT/partneraccess" JWT_SECRET=$SECRET \
    java -jar "$jar" >"$DATA/$label.log" 2>&1 &
  XPID[$label]=$!; XPIDS+=($!); XURL[$label]="http://localhost:$xport/api/v1/account/jobs?limit=1"; XLABELS+=("$label")
done
BASE="http://localhost:$PORT/api/v1"
tok() { curl -s -XPOST "$BASE/auth/token" -H 'content-type: application/json' \
  -d "{\"email\":\"$1\",\"password\":\"demo-password\"}" | sed -E 's/.*"token":"([^"]+)".*/\1/'; }
PARTNER=$(tok partner@demo.test)
OWNER=$(tok owner@acme.test)
ACME=$(curl -s "$BASE/partner/customers" -H "Authorization: Bearer $PARTNER" \
  | grep -oE '"accountId":"[^"]+","connectionId":"[^"]+","businessName":"Acme' | head -1 | cut -d'"' -f4)
SESSION=$(curl -s -XPOST "$BASE/partner/customers/$ACME/sessions" -H "Authorization: Bearer $PARTNER" \
  | sed -E 's/.*"token":"([^"]+)".*/\1/')
SERVICE_URL="http://localhost:$PORT/api/v1/account/jobs?limit=1"
MINIMAL_URL="http://localhost:$MPORT/api/v1/account/jobs?limit=1"
for _ in $(seq 1 120); do [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $SESSION" "$MINIMAL_URL")" = 200 ] && break; sleep 1; done
echo "service: $(curl -s -H "Authorization: Bearer $SESSION" "$SERVICE_URL" | head -c 200)"
for label in "${XLABELS[@]}"; do
  for _ in $(seq 1 180); do [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $SESSION" "${XURL[$label]}")" = 200 ] && break; sleep 1; done
  echo "partner-$label: $(curl -s -H "Authorization: Bearer $SESSION" "${XURL[$label]}" | head -c 200)"
done
echo "minimal: $(curl -s -H "Authorization: Bearer $SESSION" "$MINIMAL_URL" | head -c 200)"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# this run's PostgreSQL: the embedded server under $DATA and its backends (both apps use the same one; other
# PostgreSQL servers on the machine are not counted)
pgticks() { local pm; pm=$(head -1 "$(find "$DATA" -name postmaster.pid 2>/dev/null | head -1)" 2>/dev/null || echo 0)
  ps -eo pid=,ppid=,comm= | awk -v pm="$pm" '$3 ~ /^postgres/ && ($1 == pm || $2 == pm) {print $1}' | while read -r p; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; done | awk '{s += $1} END {print s + 0}'; }
HZ=$(getconf CLK_TCK)
run() { # $1 label, $2 pid, $3 token, $4 url, $5 seconds → "label rps p99(ms) cpu-ms/request non2xx pg-cpu-ms/request"
  local before after pgbefore pgafter out
  before=$(ticks "$2"); pgbefore=$(pgticks)
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${5}s" --latency -H "Authorization: Bearer $3" "$4" 2>/dev/null)
  after=$(ticks "$2"); pgafter=$(pgticks)
  awk -v label="$1" -v cpu=$((after - before)) -v pg=$((pgafter - pgbefore)) -v hz="$HZ" '
    /requests in/ {n=$1} /Requests\/sec/ {rps=$2}
    /^ +99%/ {p=$2; if (p ~ /us$/) {sub(/us/,"",p); p/=1000} else if (p ~ /ms$/) {sub(/ms/,"",p)} else if (p ~ /s$/) {sub(/s/,"",p); p*=1000}}
    /Non-2xx/ {bad=$NF}
    END {if (n == 0) {print "wrk answered nothing for " label > "/dev/stderr"; exit 1}; printf "%s %s %.2f %.4f %d %.4f\n", label, rps, p, (cpu * 1000 / hz) / n, bad, (pg * 1000 / hz) / n}' <<<"$out"
}
# warm-up: JIT both JVMs on the route (WARMUP seconds each; with 10, both were still warming up in the first two
# rounds: the minimal app at 4,400 requests/s there against 6,400 afterwards)
WARMUP=${WARMUP:-30}
run warm "$PID" "$SESSION" "$SERVICE_URL" "$WARMUP" >/dev/null; run warm "$MPID" "$SESSION" "$MINIMAL_URL" "$WARMUP" >/dev/null
run warm "$PID" "$OWNER" "$SERVICE_URL" "$((WARMUP / 2))" >/dev/null
for label in "${XLABELS[@]}"; do run warm "${XPID[$label]}" "$SESSION" "${XURL[$label]}" "$WARMUP" >/dev/null; done
: >"$DATA/runs"
for r in $(seq 1 "$ROUNDS"); do
  # rotate the order each round so no configuration always runs first or last
  all=(partner minimal owner "${XLABELS[@]/#/partner-}")
  n=${#all[@]}
  order=()
  for k in $(seq 0 $((n - 1))); do order+=("${all[$(((k + r - 1) % n))]}"); done
  for who in "${order[@]}"; do
    case $who in
      partner) line=$(run partner "$PID" "$SESSION" "$SERVICE_URL" "$DURATION") ;;
      owner) line=$(run owner "$PID" "$OWNER" "$SERVICE_URL" "$DURATION") ;;
      minimal) line=$(run minimal "$MPID" "$SESSION" "$MINIMAL_URL" "$DURATION") ;;
      partner-*) label=${who#partner-}; line=$(run "$who" "${XPID[$label]}" "$SESSION" "${XURL[$label]}" "$DURATION") ;;
    esac
    echo "$r $line" | tee -a "$DATA/runs"
  done
done
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
col() { awk -v w="$1" -v c="$2" '$2 == w {print $c}' "$DATA/runs" | median; }
ratio() { # paired per round: $1 column, $2 numerator label, $3 denominator label
  awk -v c="$1" -v a="$2" -v b="$3" '$2 == a {x[$1]=$c} $2 == b {y[$1]=$c} END {for (r in x) if (y[r] > 0) printf "%.3f\n", x[r] / y[r]}' "$DATA/runs" | median; }
RESULT=${BENCH_RESULT:-bench/results/hot-path.md}
{
  echo "# Hot path against a minimal Vert.x app"
  echo
  echo "Run: \`bench/hot-path.sh $DURATION $CONNECTIONS $ROUNDS\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Route \`GET /api/v1/account/jobs?limit=1\`, wrk -t2 -c$CONNECTIONS, ${DURATION} s per run after ${WARMUP} s of warm-up per app, $ROUNDS interleaved rounds (order rotated);"
  echo "the minimal app is \`bench/minimal-app/MinimalApp.java\` on the same database. wrk, both JVMs and PostgreSQL share the"
  echo "machine's cores: medians, and ratios paired within a round; CPU is the JVM's (and PostgreSQL's processes') utime+stime over the run / requests."
  echo
  echo "| | requests/s (median) | p99 ms (median) | JVM CPU ms/request (median) | PostgreSQL CPU ms/request (median) |"
  echo "|---|---|---|---|---|"
  for who in partner owner minimal "${XLABELS[@]/#/partner-}"; do
    case $who in partner) name="service, partner's account-scoped token";; owner) name="service, account owner";; minimal) name="minimal Vert.x app, same work";;
      *) name="service build \`${who#partner-}\`, partner's token";; esac
    echo "| $name | $(col "$who" 3) | $(col "$who" 4) | $(col "$who" 5) | $(col "$who" 7) |"
  done
  echo
  echo "Paired ratios (median over rounds): partner/minimal throughput **$(ratio 3 partner minimal)**, owner/minimal **$(ratio 3 owner minimal)**;"
  echo "CPU per request partner/minimal **$(ratio 5 partner minimal)**, owner/minimal **$(ratio 5 owner minimal)**. Goal: throughput ≥ 0.9, CPU ≤ 1.5."
  echo
  for label in "${XLABELS[@]}"; do
    echo "Build \`$label\`: partner/minimal throughput **$(ratio 3 "partner-$label" minimal)**, CPU per request **$(ratio 5 "partner-$label" minimal)**;"
    echo "against this build's partner run: throughput **$(ratio 3 "partner-$label" partner)**, CPU per request **$(ratio 5 "partner-$label" partner)**."
    echo
  done
  echo "PostgreSQL CPU per request (all its processes, the same server for both apps): partner/minimal **$(ratio 7 partner minimal)**, owner/minimal **$(ratio 7 owner minimal)**."
  echo
  echo "Every run (round, who, requests/s, p99 ms, JVM CPU ms/request, non-2xx answers, PostgreSQL CPU ms/request):"
  echo '```'; cat "$DATA/runs"; echo '```'
} >"$RESULT"
cat "$RESULT"
