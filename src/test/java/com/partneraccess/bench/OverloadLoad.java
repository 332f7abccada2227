package com.partneraccess.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

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
 * {@code connections ok_per_s ok_p50_ms ok_p99_ms shed_503 other errors srv_p50_ms srv_p99_ms outside_p99_ms
 * after503_p99_ms after200_p99_ms lag_max_ms shed_per_10ms_mean shed_per_10ms_max before_p99_ms after_head_p99_ms
 * client_lag_p99_ms client_lag_max_ms shed_in_busiest_tenth_pct shed_closing}. The fields from the eighth on are
 * a diagnostic of where the admitted requests' time goes, filled when the service runs with {@code http.serverTiming}
 * (its {@code Server-Timing} header; NaN otherwise): {@code srv} the server's own time for the admitted requests
 * (handed over by Vert.x to response head written), {@code outside} per request the client's latency minus the
 * server's (unread in a socket, in this client, on the wire), {@code after503}/{@code after200} the client latency of
 * the admitted requests that followed a 503 / a 200 on the same connection, {@code lag_max} the largest lateness of
 * the server's 100 ms task it reported, the 503 answers counted per 10 ms: their mean and the largest count (a
 * herd of retries shows as a maximum far above the mean); {@code before}/{@code after_head} split {@code outside}
 * with the server's hand-over instant (its {@code System.nanoTime()}, one monotonic clock on one machine): from this
 * client sending to the server handing the request over, and from the server writing the head to this client having
 * read the answer; {@code client_lag} this client's own event loop's lateness (a 10 ms timer), p99 and largest;
 * the share of the 503s that arrived in the busiest tenth of the 10 ms intervals (about 10 % when they are spread
 * evenly, near 100 % when they come in herds); the 503s that closed their connection (over the connection limit).
 * With {@code -Doverload.honourRetryAfter=true} a loop that gets a 503 waits the seconds its {@code Retry-After}
 * asks for before its next request, as a well-behaved client does (the wait is not measured: it is no request's
 * latency); by default it asks again at once, as wrk and broken SDKs do, the worst case for the server.
 * {@code -Doverload.threads=N} spreads the connections over N event loops (threads) of this client instead of one, as
 * {@code wrk -t2} does: with one, a client on the same machine as the service can fall behind reading answers, and
 * that wait is counted in the latencies.
 * Usage: {@code OverloadLoad <url> <bearer token> <connections> <seconds>}.
 */
public final class OverloadLoad {
  static final int WARM_UP_SECONDS = 3;
  private static final boolean HONOUR_RETRY_AFTER = Boolean.getBoolean("overload.honourRetryAfter");

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
    long[] serverNanos = new long[okLatencies.length];
    long[] afterShed = new long[okLatencies.length];
    long[] before = new long[okLatencies.length];
    long[] afterHead = new long[okLatencies.length];
    int threads = Math.max(1, Integer.getInteger("overload.threads", 1));
    long[] clientLag = new long[(seconds * 100 + 100) * threads];
    AtomicInteger lagSamples = new AtomicInteger();
    AtomicLong ok = new AtomicLong();
    AtomicLong shed = new AtomicLong();
    AtomicLong other = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong closedShed = new AtomicLong();
    long from = System.nanoTime() + WARM_UP_SECONDS * 1_000_000_000L;
    long end = from + seconds * 1_000_000_000L;
    Promise<Void> done = Promise.promise();
    AtomicLong running = new AtomicLong(connections);
    Counts counts = new Counts(okLatencies, serverNanos, afterShed, before, afterHead,
        new AtomicLongArray(seconds * 100 + 1), new AtomicLong(-1), ok, shed, closedShed, other, errors, running, done,
        from, end);
    // the loops run on `threads` event loops (one by default; -Doverload.threads=2 as wrk -t2): each admitted answer
    // takes its own slot (ok.getAndIncrement), the other counters are atomic
    AtomicInteger started = new AtomicInteger();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        int index = started.getAndIncrement();
        int share = connections / threads + (index < connections % threads ? 1 : 0);
        // this event loop's lateness: a 10 ms timer set again each time (a late periodic timer catches up with runs at
        // no interval, which would hide the lateness from the percentiles)
        new Object() {
          void next(long due) {
            vertx.setTimer(10, id -> {
              long now = System.nanoTime();
              if (now >= from && now < end) {
                int i = lagSamples.getAndIncrement();
                if (i < clientLag.length) {
                  clientLag[i] = Math.max(0, now - due);
                }
              }
              next(now + 10_000_000L);
            });
          }
        }.next(System.nanoTime() + 10_000_000L);
        for (int i = 0; i < share; i++) {
          open(client, connect, request, counts);
        }
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(threads)).await();
    done.future().await();
    int n = (int) Math.min(ok.get(), okLatencies.length);
    long[] sorted = Arrays.copyOf(okLatencies, n);
    Arrays.sort(sorted);
    long[] server = Arrays.stream(serverNanos, 0, n).filter(v -> v >= 0).sorted().toArray();
    long[] outside = new long[n];
    int withServer = 0;
    long[] afterShedSorted = new long[n];
    int nAfterShed = 0;
    long[] afterOkSorted = new long[n];
    int nAfterOk = 0;
    for (int i = 0; i < n; i++) {
      if (serverNanos[i] >= 0) {
        outside[withServer++] = okLatencies[i] - serverNanos[i];
      }
      if (afterShed[i] != 0) {
        afterShedSorted[nAfterShed++] = okLatencies[i];
      } else {
        afterOkSorted[nAfterOk++] = okLatencies[i];
      }
    }
    outside = Arrays.copyOf(outside, withServer);
    Arrays.sort(outside);
    long[] beforeSorted = Arrays.stream(before, 0, n).filter(v -> v != Long.MIN_VALUE).sorted().toArray();
    long[] afterHeadSorted = Arrays.stream(afterHead, 0, n).filter(v -> v != Long.MIN_VALUE).sorted().toArray();
    long[] lagSorted = Arrays.copyOf(clientLag, Math.min(clientLag.length, lagSamples.get()));
    Arrays.sort(lagSorted);
    afterShedSorted = Arrays.copyOf(afterShedSorted, nAfterShed);
    Arrays.sort(afterShedSorted);
    afterOkSorted = Arrays.copyOf(afterOkSorted, nAfterOk);
    Arrays.sort(afterOkSorted);
    long[] bins = new long[counts.shedBins().length()];
    Arrays.setAll(bins, counts.shedBins()::get);
    long maxBin = Arrays.stream(bins).max().orElse(0);
    long[] sortedBins = bins.clone();
    Arrays.sort(sortedBins);
    long inTopTenth = 0;
    for (int i = sortedBins.length - sortedBins.length / 10; i < sortedBins.length; i++) {
      inTopTenth += sortedBins[i];
    }
    double topTenthShare = shed.get() == 0 ? Double.NaN : 100.0 * inTopTenth / Arrays.stream(bins).sum();
    double meanBin = Arrays.stream(bins).sum() / (double) bins.length;
    System.out.println(String.format(Locale.ROOT, "%d %.0f %.2f %.2f %d %d %d %.2f %.2f %.2f %.2f %.2f %.2f %.1f %d"
            + " %.2f %.2f %.2f %.2f %.0f %d",
        connections, ok.get() / (double) seconds, percentile(sorted, 0.50), percentile(sorted, 0.99), shed.get(),
        other.get(), errors.get(), percentile(server, 0.50), percentile(server, 0.99), percentile(outside, 0.99),
        percentile(afterShedSorted, 0.99), percentile(afterOkSorted, 0.99),
        counts.lagMax().get() < 0 ? Double.NaN : counts.lagMax().get() / 1_000_000.0, meanBin, maxBin,
        percentile(beforeSorted, 0.99), percentile(afterHeadSorted, 0.99), percentile(lagSorted, 0.99),
        lagSorted.length == 0 ? Double.NaN : lagSorted[lagSorted.length - 1] / 1_000_000.0, topTenthShare,
        closedShed.get()));
    client.close().await();
    vertx.close().await();
  }

  /** What the loops record: latencies of admitted requests, counts, and when to stop. */
  private record Counts(long[] okLatencies, long[] serverNanos, long[] afterShed, long[] before, long[] afterHead,
                        AtomicLongArray shedBins, AtomicLong lagMax,
                        AtomicLong ok, AtomicLong shed, AtomicLong closedShed, AtomicLong other, AtomicLong errors,
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
        loop(client, ar.result(), connect, request, c, false);
      }
    });
  }

  /** One answer: its status (negative when the server closes the connection after it) and the server's time. */
  private record Answer(int status, long serverNanos, long lagNanos, long handedOver, long retryAfterSeconds) {}

  private static void loop(HttpClientAgent client, HttpClientConnection connection, HttpConnectOptions connect,
                           RequestOptions request, Counts c, boolean previousShed) {
    if (c.over()) {
      connection.close();
      return;
    }
    long start = System.nanoTime();
    Future<Answer> status = connection.request(request)
        .compose(req -> req.send().compose(resp -> resp.body().map(b -> new Answer(
            "close".equalsIgnoreCase(resp.getHeader("Connection")) ? -resp.statusCode() : resp.statusCode(),
            timing(resp.getHeader("Server-Timing"), "app"), timing(resp.getHeader("Server-Timing"), "lag"),
            instant(resp.getHeader("Server-Timing")), retryAfter(resp.getHeader("Retry-After"))))));
    status.onComplete(ar -> {
      long answered = System.nanoTime();
      long took = answered - start;
      boolean measured = start >= c.from();
      if (ar.failed()) {
        if (measured) {
          c.errors().incrementAndGet();
        }
        connection.close();
        open(client, connect, request, c); // the server closed it: connect again
        return;
      }
      int code = Math.abs(ar.result().status());
      if (!measured) {
        // warming up: not measured
      } else if (code == 200) {
        long i = c.ok().getAndIncrement();
        if (i < c.okLatencies().length) {
          c.okLatencies()[(int) i] = took;
          c.serverNanos()[(int) i] = ar.result().serverNanos();
          c.afterShed()[(int) i] = previousShed ? 1 : 0;
          long t0 = ar.result().handedOver();
          boolean split = t0 != Long.MIN_VALUE && ar.result().serverNanos() >= 0;
          c.before()[(int) i] = split ? t0 - start : Long.MIN_VALUE;
          c.afterHead()[(int) i] = split ? answered - t0 - ar.result().serverNanos() : Long.MIN_VALUE;
        }
        c.lagMax().accumulateAndGet(ar.result().lagNanos(), Math::max);
      } else if (code == 503) {
        c.shed().incrementAndGet();
        if (ar.result().status() < 0) {
          c.closedShed().incrementAndGet(); // refused over the connection limit: the server closes the connection
        }
        int bin = (int) ((System.nanoTime() - c.from()) / 10_000_000L);
        if (bin < c.shedBins().length()) {
          c.shedBins().incrementAndGet(bin);
        }
      } else {
        c.other().incrementAndGet();
      }
      if (ar.result().status() < 0) {
        connection.close();
        open(client, connect, request, c); // the server closes it after this answer
      } else if (code == 503 && HONOUR_RETRY_AFTER && ar.result().retryAfterSeconds() > 0) {
        io.vertx.core.Vertx.currentContext().owner().setTimer(ar.result().retryAfterSeconds() * 1000, id ->
            loop(client, connection, connect, request, c, true));
      } else {
        loop(client, connection, connect, request, c, code == 503);
      }
    });
  }

  /** The {@code dur} of metric {@code name} in a Server-Timing header, in nanoseconds; -1 when absent. */
  static long timing(String header, String name) {
    if (header == null) {
      return -1;
    }
    for (String metric : header.split(",")) {
      String[] parts = metric.trim().split(";");
      if (parts[0].equals(name)) {
        for (int i = 1; i < parts.length; i++) {
          if (parts[i].startsWith("dur=")) {
            return (long) (Double.parseDouble(parts[i].substring(4)) * 1_000_000);
          }
        }
      }
    }
    return -1;
  }

  /** A Retry-After in seconds (the service sends seconds, not a date); 0 when absent or unreadable. */
  static long retryAfter(String header) {
    try {
      return header == null ? 0 : Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The server's hand-over instant ({@code t0;desc=<System.nanoTime()>}); {@link Long#MIN_VALUE} when absent. */
  static long instant(String header) {
    if (header != null) {
      for (String metric : header.split(",")) {
        String m = metric.trim();
        if (m.startsWith("t0;desc=")) {
          return Long.parseLong(m.substring(8));
        }
      }
    }
    return Long.MIN_VALUE;
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1_000_000.0;
  }
}
