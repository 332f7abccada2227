#!/usr/bin/env bash
# Benchmark: the partner's Customers page with 1,000 customers, rendered server-side (target < 50 ms).
# Starts the service with an embedded PostgreSQL, seeds the customers, measures 500 requests and writes
# bench/results/customers-page.md (or the path given as the first argument).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-bench/results/customers-page.md}"
./mvnw -B -q test-compile exec:java \
  -Dmain.class=com.partneraccess.bench.CustomersPageBenchmark \
  -Dexec.classpathScope=test \
  -Dexec.args="$OUT" \
  -Dlogback.configurationFile=logback-test.xml
cat "$OUT"
