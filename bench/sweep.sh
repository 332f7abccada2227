#!/usr/bin/env bash
# Benchmark of the expiry sweep at scale (issue 10, goal 4): seeds N enabled connections of which D are past their
# expiry (set-based SQL through the triggers), runs one sweep and times it, while 8 closed-loop clients call the hot
# path (GET /api/v1/account/jobs?limit=1 with a partner's account-scoped token); reports the hot path's p99 before
# and during the sweep, the longest time without any answer (a stall) and the NOTIFYs per batch. Starts the service
# with an embedded PostgreSQL (as the tests do), writes bench/results/sweep.md (or the path given third).
# Usage: bench/sweep.sh [connections=1000000] [due=100000] [results-file]
# Other knobs as system properties in BENCH_OPTS, e.g. BENCH_OPTS="-Dbench.batch=5000 -Dbench.pauseMillis=10".
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS="${1:-1000000}"
DUE="${2:-100000}"
OUT="${3:-bench/results/sweep.md}"
# shellcheck disable=SC2086
./mvnw -B -q test-compile exec:java \
  -Dmain.class=com.partneraccess.bench.SweepBenchmark \
  -Dexec.classpathScope=test \
  -Dexec.args="$OUT" \
  -Dbench.connections="$CONNECTIONS" -Dbench.due="$DUE" ${BENCH_OPTS:-} \
  -Dlogback.configurationFile=logback-test.xml
cat "$OUT"
