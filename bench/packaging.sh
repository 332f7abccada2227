#!/usr/bin/env bash
# Packaging (issue 10, goal 5): the runnable jars' sizes, what the embedded build packs, and the embedded build run as a
# deployment runs it (java -jar from an empty folder): time from start to /health answering on a fresh data folder
# (PostgreSQL unpacked, initdb, every migration) and on restarts (the folder kept), and the idle resident memory of the
# JVM and of its PostgreSQL processes. Writes bench/results/packaging.md.
# Usage: bench/packaging.sh [restarts]
set -euo pipefail
cd "$(dirname "$0")/.."
RESTARTS=${1:-3}
PORT=${BENCH_PORT:-18095}
IDLE_SECONDS=${IDLE_SECONDS:-10}
ROOT=$(pwd)
WORK=$(mktemp -d)
PID=
trap '[ -z "$PID" ] || kill $PID 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN {printf "%.1f", b / 1048576}'; }
./mvnw -B -q -DskipTests package
cp target/partner-access-*-SNAPSHOT.jar "$WORK/plain.jar"
./mvnw -B -q -DskipTests -Pembedded-postgres package
cp target/partner-access-*-SNAPSHOT.jar "$WORK/embedded.jar"
PLAIN_MB=$(mb "$WORK/plain.jar")
EMBEDDED_MB=$(mb "$WORK/embedded.jar")
# the PostgreSQL binaries inside the embedded build: one archive per platform zonky ships
BINARIES=$(unzip -l "$WORK/embedded.jar" | awk '/postgres-.*\.txz$/ {printf "%s%s (%.1f MB)", sep, $4, $1 / 1048576; sep = ", "}')
PLAIN_BINARIES=$(unzip -l "$WORK/plain.jar" | awk '/postgres-.*\.txz$/ {n++} END {print n + 0}')
[ "$PLAIN_BINARIES" = 0 ] || { echo "the deployment jar carries PostgreSQL binaries (re-shaded an earlier build?)" >&2; exit 1; }
mkdir "$WORK/run" # the empty folder the service starts from: no conf/, no data/
start() { # starts the embedded build in the empty folder; sets PID and MS (ms until /health answers 200)
  local t0 t1
  t0=$(date +%s%3N)
  (cd "$WORK/run" && PORT=$PORT JWT_SECRET=bench-secret-bench-secret-bench-secret-0123 \
    exec java -jar "$WORK/embedded.jar" >>"$WORK/service.log" 2>&1) &
  PID=$!
  for _ in $(seq 1 6000); do
    if curl -sf -o /dev/null "localhost:$PORT/health"; then break; fi
    kill -0 "$PID" 2>/dev/null || { echo "the service exited; its log:" >&2; tail -20 "$WORK/service.log" >&2; exit 1; }
    sleep 0.02
  done
  t1=$(date +%s%3N)
  MS=$((t1 - t0))
}
descendants() { local c; for c in $(pgrep -P "$1" || true); do echo "$c"; descendants "$c"; done; }
rss_mb() { # resident memory of the JVM, and of the embedded PostgreSQL (its postmaster, started detached, and the
  # postmaster's processes), MB
  local jvm pg=0 child postmaster
  jvm=$(awk '/VmRSS/ {print $2}' "/proc/$1/status")
  postmaster=$(pgrep -f "postgres -D $WORK/run/data/postgres" | head -1 || true)
  for child in $postmaster $( [ -z "$postmaster" ] || descendants "$postmaster"); do
    pg=$((pg + $(awk '/VmRSS/ {print $2}' "/proc/$child/status" 2>/dev/null || echo 0)))
  done
  awk -v j="$jvm" -v p="$pg" 'BEGIN {printf "%.0f %.0f", j / 1024, p / 1024}'
}
stop() { kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
start
FIRST=$MS
sleep "$IDLE_SECONDS" # idle: let start-up's allocations settle before reading memory
read -r FIRST_JVM FIRST_PG <<<"$(rss_mb "$PID")"
stop
: >"$WORK/restarts"
for i in $(seq 1 "$RESTARTS"); do
  start
  sleep "$IDLE_SECONDS"
  read -r jvm pg <<<"$(rss_mb "$PID")"
  echo "$MS $jvm $pg" >>"$WORK/restarts"
  stop
done
RESTART_MS=$(awk '{print $1}' "$WORK/restarts" | median)
RESTART_JVM=$(awk '{print $2}' "$WORK/restarts" | median)
RESTART_PG=$(awk '{print $3}' "$WORK/restarts" | median)
GOAL=$(awk -v a="$PLAIN_MB" 'BEGIN {print (a <= 30) ? "met" : "MISSED"}')
RESULT=${RESULT:-$ROOT/bench/results/packaging.md}
{
  echo "# Packaging benchmark"
  echo
  echo "Run: \`bench/packaging.sh $RESTARTS\` on $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average before the run"
  echo "$(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1). Re-run: \`bench/packaging.sh [restarts]\` (writes this file)."
  echo
  echo "| jar | size (MB) | PostgreSQL binaries packed |"
  echo "| --- | ---: | --- |"
  echo "| \`./mvnw package\` (for a \`DATABASE_URL\`) | $PLAIN_MB | $PLAIN_BINARIES archives |"
  echo "| \`./mvnw -Pembedded-postgres package\` | $EMBEDDED_MB | $BINARIES |"
  echo
  echo "Goal (issue 10, goal 5): the runnable jar ≤ 30 MB, with the embedded PostgreSQL only in a development profile or"
  echo "only this platform's binaries — **$GOAL**: the deployment jar is $PLAIN_MB MB with no PostgreSQL binaries; the"
  echo "development profile's ($EMBEDDED_MB MB) packs Linux x86-64's only. Before: 136.5 MB, 115.6 MB of it PostgreSQL"
  echo "binaries for macOS, Windows, Alpine and Linux."
  echo
  echo "The embedded build started with \`java -jar\` from an empty folder (no \`conf/\`: the defaults are the jar's own),"
  echo "no \`DATABASE_URL\`, so it starts its own PostgreSQL in \`./data\`; time from \`java\` starting to \`/health\` answering"
  echo "200, and resident memory (VmRSS) ${IDLE_SECONDS} s after that, idle:"
  echo
  echo "| start | to /health (ms) | JVM RSS (MB) | PostgreSQL RSS, all its processes (MB) |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| first (unpack PostgreSQL, initdb, every migration) | $FIRST | $FIRST_JVM | $FIRST_PG |"
  echo "| restart, median of $RESTARTS | $RESTART_MS | $RESTART_JVM | $RESTART_PG |"
  echo
  echo "Restarts (ms to /health, JVM RSS, PostgreSQL RSS):"
  echo
  echo '```'
  cat "$WORK/restarts"
  echo '```'
  echo
  echo "Before (issue 10): idle JVM 183–228 MB RSS; start to \`/health\` 3.5–5.7 s on a restart. PostgreSQL's RSS counts"
  echo "its shared buffers once per process that touched them, so it over-counts."
} >"$RESULT"
cat "$RESULT"
