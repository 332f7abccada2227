#!/usr/bin/env bash
# Benchmark: the Customers page of a partner with 10,000 customers, a page of 50 at a time, rendered server-side:
# as opened, with a search, with a filter, with a filter and a sort, and a later page by cursor (target p50 < 50 ms).
# Starts the service with an embedded PostgreSQL, seeds the customers with SQL, measures 200 requests per page, writes
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
