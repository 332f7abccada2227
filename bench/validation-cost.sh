#!/usr/bin/env bash
# In-process cost of validating one request against openapi.yaml: vertx-openapi's RequestValidatorImpl against
# http/ContractValidator, interleaved rounds in one JVM (see http/ValidationCostBenchmark). Prints µs per request.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  -Dlogback.configurationFile=logback-test.xml com.partneraccess.http.ValidationCostBenchmark
