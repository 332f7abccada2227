#!/usr/bin/env bash
# Benchmark: WebSocket fan-out on one instance. For each socket count given (default 1000), a client in its own JVM
# (one Vert.x event loop, raw frame handlers) opens that many WebSockets on one partner's address; per round the owner
# disables or enables the partner's access through the API and each socket's delay from the commit (the NOTIFY's
# arrival at a listener of the benchmark's own) to the banner's arrival is recorded (p50/p99/max), and from just
# before the API request; also the server's heap per socket (and the classes that grew) and the time to close them
# all (give N and 2N to see O(N)).
# Goals: p99 from commit <= 100 ms at 10,000 sockets, <= 250 ms at 19,000; heap <= 16 KB per socket; closing in O(N).
# Usage: bench/websocket-fanout.sh [sockets ...]     e.g. bench/websocket-fanout.sh 5000 10000 19000
# Rounds: BENCH_ROUNDS (10, after 2 warm-up rounds); BENCH_JFR=1: a JFR profile of the server during the rounds of
# the largest count, summarised in the results (the recording stays in target/); BENCH_CLIENT_LOOPS: the client's
# event loops (1); BENCH_NOTE: a sentence printed under the delays (e.g. why this run is small). Writes
# bench/results/websocket-fanout.md.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/results/websocket-fanout.md
SIZES="${*:-1000}"
MAX=$(printf '%s\n' $SIZES | sort -n | tail -1)
# server and client are separate processes, each holding one descriptor per socket (plus the JVM's own)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((MAX + 1000)) ]; then
  echo "open-file limit $(ulimit -n) is too low for $MAX sockets (raise the hard limit: ulimit -Hn)" >&2
  exit 2
fi
./mvnw -B -q test-compile exec:java \
  -Dmain.class=com.partneraccess.bench.WebSocketFanoutBenchmark \
  -Dexec.classpathScope=test \
  -Dexec.args="$OUT $SIZES" \
  -Dbench.rounds="${BENCH_ROUNDS:-10}" -Dbench.jfr="${BENCH_JFR:+true}" -Dbench.clientLoops="${BENCH_CLIENT_LOOPS:-1}" -Dbench.note="${BENCH_NOTE:-}" \
  -Dlogback.configurationFile=logback-test.xml
cat "$OUT"
