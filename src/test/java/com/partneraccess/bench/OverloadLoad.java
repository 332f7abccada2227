package com.partneraccess.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator (not a test) for {@code bench/overload.sh}: {@code connections} keep-alive connections, each
 * sending its next request as soon as the previous answer arrives (closed loop, like wrk), for {@code seconds}.
 * Unlike wrk it records the status of every answer with its latency, so the latency of the requests the service
 * admitted (200) is reported apart from the ones it shed (503). As with wrk, connecting is not measured: each
 * connection's first request and the first {@link #WARM_UP_SECONDS} seconds are left out. Prints one line:
 * {@code connections ok_per_s ok_p50_ms ok_p99_ms shed_503 other errors}.
 * Usage: {@code OverloadLoad <url> <bearer token> <connections> <seconds>}.
 */
public final class OverloadLoad {
  static final int WARM_UP_SECONDS = 3;

  private OverloadLoad() {}

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    String token = args[1];
    int connections = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    Vertx vertx = Vertx.vertx();
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(10_000)
        .setIdleTimeout(0), new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(url.getHost()).setPort(url.getPort())
        .setURI(url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()))
        .putHeader("Authorization", "Bearer " + token);
    long[] okLatencies = new long[4_000_000];
    AtomicLong ok = new AtomicLong();
    AtomicLong shed = new AtomicLong();
    AtomicLong other = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long from = System.nanoTime() + WARM_UP_SECONDS * 1_000_000_000L;
    long end = from + seconds * 1_000_000_000L;
    Promise<Void> done = Promise.promise();
    AtomicLong running = new AtomicLong(connections);
    // every loop runs on the client's event loop, so the shared counters and array need no more than this
    vertx.runOnContext(v -> {
      for (int i = 0; i < connections; i++) {
        loop(client, request, from, end, false, okLatencies, ok, shed, other, errors, running, done);
      }
    });
    done.future().await();
    int n = (int) Math.min(ok.get(), okLatencies.length);
    long[] sorted = Arrays.copyOf(okLatencies, n);
    Arrays.sort(sorted);
    System.out.println(String.format(Locale.ROOT, "%d %.0f %.2f %.2f %d %d %d", connections, ok.get() / (double) seconds,
        percentile(sorted, 0.50), percentile(sorted, 0.99), shed.get(), other.get(), errors.get()));
    client.close().await();
    vertx.close().await();
  }

  private static void loop(HttpClient client, RequestOptions request, long from, long end, boolean connected,
                           long[] okLatencies, AtomicLong ok,
                           AtomicLong shed, AtomicLong other, AtomicLong errors, AtomicLong running, Promise<Void> done) {
    if (System.nanoTime() >= end) {
      if (running.decrementAndGet() == 0) {
        done.tryComplete();
      }
      return;
    }
    long start = System.nanoTime();
    Future<Integer> status = client.request(request)
        .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode())));
    status.onComplete(ar -> {
      long took = System.nanoTime() - start;
      if (!connected || start < from) {
        // connecting, or warming up: not measured
      } else if (ar.failed()) {
        errors.incrementAndGet();
      } else if (ar.result() == 200) {
        long i = ok.getAndIncrement();
        if (i < okLatencies.length) {
          okLatencies[(int) i] = took;
        }
      } else if (ar.result() == 503) {
        shed.incrementAndGet();
      } else {
        other.incrementAndGet();
      }
      loop(client, request, from, end, true, okLatencies, ok, shed, other, errors, running, done);
    });
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1_000_000.0;
  }
}
