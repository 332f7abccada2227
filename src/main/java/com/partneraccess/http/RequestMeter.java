package com.partneraccess.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server's meters for {@code /metrics}: {@code vertx_http_server_requests_total} and
 * {@code vertx_http_server_response_time_seconds} by method and status code, the names Vert.x's own HTTP server
 * metrics use. Vert.x's are off ({@code Main.newVertx}): they looked five meters up by their tags on every request
 * (requests, time, request and response bytes, active requests), about 5 % of the hot path's CPU, for two figures
 * that are read. Here each (method, status) pair's meters are registered once and then found by index.
 * Recorded by {@link RequestLimits}: every request that reaches the router, and every request it sheds (503, counted
 * but not timed).
 * The methods are the standard ones and {@code OTHER}, the codes 100-599, so the number of series is bounded.
 */
public final class RequestMeter {
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  private static final int LOWEST = 100;
  private static final int HIGHEST = 599;

  private record Meters(Counter requests, Timer time) {}

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Meters[]> byMethod = new ConcurrentHashMap<>();

  RequestMeter(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The meter of this Vert.x instance's registry; one that records nothing when metrics are off. */
  public static RequestMeter of(Vertx vertx) {
    return new RequestMeter(vertx.isMetricsEnabled() ? BackendRegistries.getDefaultNow() : null);
  }

  /** One request answered with {@code status}, {@code nanos} after it arrived. */
  public void record(String method, int status, long nanos) {
    Meters meters = meters(method, status);
    if (meters != null) {
      meters.requests().increment();
      meters.time().record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** One request refused before routing (shed): counted, but not timed (its answer may be held on purpose). */
  public void count(String method, int status) {
    Meters meters = meters(method, status);
    if (meters != null) {
      meters.requests().increment();
    }
  }

  private Meters meters(String method, int status) {
    if (registry == null) {
      return null;
    }
    String m = METHODS.contains(method) ? method : "OTHER";
    Meters[] row = byMethod.computeIfAbsent(m, k -> new Meters[HIGHEST - LOWEST + 1]);
    int code = Math.min(Math.max(status, LOWEST), HIGHEST);
    Meters meters = row[code - LOWEST];
    if (meters == null) {
      // a race registers the same meters twice: the registry returns the one it holds
      String c = Integer.toString(code);
      meters = new Meters(
          Counter.builder("vertx.http.server.requests").description("Number of processed requests")
              .tags("method", m, "code", c).register(registry),
          Timer.builder("vertx.http.server.response.time").description("Request processing time")
              .tags("method", m, "code", c).register(registry));
      row[code - LOWEST] = meters;
    }
    return meters;
  }
}
