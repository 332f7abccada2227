package com.partneraccess.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnectOptions;
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
 * admitted (200) is reported apart from the ones it shed (503). As with wrk, connecting is not measured, nor are the
 * first {@link #WARM_UP_SECONDS} seconds. Each loop owns its connection (opened with {@code connect}, not taken from a
 * pool): with a pool, a loop whose connection had not been handed back yet when its answer arrived waited for any
 * other connection to free up — at 2,000 connections, up to a held 503's second — and that wait, the client's own,
 * was counted in the request's latency. A connection the server closes is opened again (that request counts as an
 * error). Prints one line:
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
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(10_000)
        .setIdleTimeout(0), new PoolOptions().setHttp1MaxSize(1));
    HttpConnectOptions connect = new HttpConnectOptions().setHost(url.getHost()).setPort(url.getPort());
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET)
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
    Counts counts = new Counts(okLatencies, ok, shed, other, errors, running, done, from, end);
    // every loop runs on the client's event loop, so the shared counters and array need no more than this
    vertx.runOnContext(v -> {
      for (int i = 0; i < connections; i++) {
        open(client, connect, request, counts);
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

  /** What the loops record: latencies of admitted requests, counts, and when to stop. */
  private record Counts(long[] okLatencies, AtomicLong ok, AtomicLong shed, AtomicLong other, AtomicLong errors,
                        AtomicLong running, Promise<Void> done, long from, long end) {
    boolean over() {
      if (System.nanoTime() < end) {
        return false;
      }
      if (running.decrementAndGet() == 0) {
        done.tryComplete();
      }
      return true;
    }
  }

  /** Opens this loop's own connection, then sends on it. */
  private static void open(HttpClientAgent client, HttpConnectOptions connect, RequestOptions request, Counts c) {
    if (c.over()) {
      return;
    }
    client.connect(connect).onComplete(ar -> {
      if (ar.failed()) {
        if (System.nanoTime() >= c.from()) {
          c.errors().incrementAndGet();
        }
        open(client, connect, request, c);
      } else {
        loop(client, ar.result(), connect, request, c);
      }
    });
  }

  private static void loop(HttpClientAgent client, HttpClientConnection connection, HttpConnectOptions connect,
                           RequestOptions request, Counts c) {
    if (c.over()) {
      connection.close();
      return;
    }
    long start = System.nanoTime();
    // the status, negative when the server said it closes the connection after this answer
    Future<Integer> status = connection.request(request)
        .compose(req -> req.send().compose(resp -> resp.body().map(b ->
            "close".equalsIgnoreCase(resp.getHeader("Connection")) ? -resp.statusCode() : resp.statusCode())));
    status.onComplete(ar -> {
      long took = System.nanoTime() - start;
      boolean measured = start >= c.from();
      if (ar.failed()) {
        if (measured) {
          c.errors().incrementAndGet();
        }
        connection.close();
        open(client, connect, request, c); // the server closed it: connect again
        return;
      }
      int code = Math.abs(ar.result());
      if (!measured) {
        // warming up: not measured
      } else if (code == 200) {
        long i = c.ok().getAndIncrement();
        if (i < c.okLatencies().length) {
          c.okLatencies()[(int) i] = took;
        }
      } else if (code == 503) {
        c.shed().incrementAndGet();
      } else {
        c.other().incrementAndGet();
      }
      if (ar.result() < 0) {
        connection.close();
        open(client, connect, request, c); // the server closes it after this answer
      } else {
        loop(client, connection, connect, request, c);
      }
    });
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1_000_000.0;
  }
}
