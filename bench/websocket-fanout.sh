#!/usr/bin/env bash
# Benchmark: WebSocket fan-out on one instance. For each socket count given (default 1000), a client in its own JVM
# opens that many WebSockets on one partner's address; per round the owner disables or enables the partner's access
# through the API and each socket's delay from just before the commit to the banner's arrival is recorded
# (p50/p99/max); also the server's heap per socket and the time to close them all (give N and 2N to see O(N)).
# Goals: p99 <= 100 ms at 10,000 sockets, <= 250 ms at 19,000; heap <= 16 KB per socket; closing in O(N).
# Usage: bench/websocket-fanout.sh [sockets ...]     e.g. bench/websocket-fanout.sh 5000 10000 19000
# Rounds: BENCH_ROUNDS (10, after 2 warm-up rounds). Writes bench/results/websocket-fanout.md.
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
  -Dbench.rounds="${BENCH_ROUNDS:-10}" \
  -Dlogback.configurationFile=logback-test.xml
cat "$OUT"
