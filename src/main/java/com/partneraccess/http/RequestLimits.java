package com.partneraccess.http;

import com.partneraccess.bus.Problem;
import com.partneraccess.config.AppConfig;
import com.partneraccess.db.OutageLog;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Bounds on the work one HTTP verticle takes on, so the requests it admits stay fast and none hangs:
 * <ul>
 *   <li>at most {@code http.maxConnections} HTTP connections (WebSockets are not counted once upgraded); the first
 *   request on a connection beyond that is answered 503 with {@code Retry-After} and the connection closed;</li>
 *   <li>at most {@code http.maxInFlight} requests at once; beyond that a request is refused with 503
 *   {@code UNAVAILABLE} and {@code Retry-After} <em>before</em> the router sees it: a response built once at start-up,
 *   no routing, no body handling, no database, no event bus, no timer of its own, no JSON encoding. The connection stays open
 *   (a shed GET costs the server far less than the reconnect a close would force; a request with a body is closed
 *   instead, since its body was never read). A shed GET's answer is held for {@code http.shedHoldMillis} (1 s) plus
 *   a random share of {@code http.shedSpreadMillis} (up to 1 s more: the hold never passes the {@code Retry-After: 2}
 *   it carries; at most {@code http.shedHoldMax} held, more are answered at once; sent by a task that runs every
 *   {@link #RELEASE_PERIOD_MILLIS} ms while answers are held): a client that retries at once anyway, as load
 *   generators and broken SDKs do, waits the time it was asked to, so its retries cannot take the event loop from the
 *   requests that were admitted. The spread keeps them from coming back as a herd: with one hold for all, the
 *   requests refused together were answered together and retried together, in bursts of hundreds that the event
 *   loop (and the clients) worked through while admitted answers waited behind them, and each burst was refused
 *   together again (40 GETs refused together were answered within 15 ms of each other before the spread,
 *   {@code SlowClientsTest.heldAnswersAreSpread}; {@code bench/overload.sh} saw 59-71 % of its 503s in the busiest
 *   tenth of its 10 ms intervals);</li>
 *   <li>when a request has been in flight for {@code http.databaseWaitMillis}, the database is probed
 *   ({@code SELECT 1} through the pool, {@link #PROBE_TIMEOUT_MILLIS}); if it does not answer (stopped, frozen,
 *   partitioned), every request in flight that long is answered 503 at once, instead of when its query would
 *   have come back. Slow work that is not the database's (password hashing on a busy machine) is left alone;</li>
 *   <li>every request is answered 503 after {@code http.requestTimeoutMillis} (checked every
 *   {@link #WATCH_PERIOD_MILLIS} ms, so at most that much later);</li>
 *   <li>a connection must send a whole request head within {@code http.headerTimeoutMillis} of opening, or of
 *   its previous response, or it is closed (slow-header clients hold no connection for long).</li>
 * </ul>
 * The time limits are kept as deadlines in insertion-ordered maps and checked by one periodic task, not a timer per
 * request or connection. WebSocket upgrades ({@code /ws}) are neither counted nor timed: they live long by design;
 * nor is {@code /health} (bounded on its own), so a load balancer does not take a busy but healthy instance out.
 * One instance per verticle instance, used only on its event loop, so plain fields suffice.
 * <p>
 * Diagnostic ({@code http.serverTiming}, off by default; {@code bench/overload.sh} turns it on): every admitted
 * request's answer carries {@code Server-Timing: app;dur=<ms>, lag;dur=<ms>}: {@code app} is the time from when
 * Vert.x handed the request over to when its response head is written (routing, authentication, pool wait, query),
 * {@code lag} the largest lateness of this verticle's 100 ms task over the last second (how long the event loop was
 * busy with other work), {@code t0} the {@code System.nanoTime()} of the hand-over. A client compares {@code app}
 * with the latency it measured: the rest was spent outside the handler; on the same machine (one monotonic clock)
 * {@code t0} splits that rest into before the hand-over (the request written, waiting to be read) and after the
 * head was written (the answer on its way, waiting for the client to read it).
 */
public final class RequestLimits implements Handler<RoutingContext> {
  static final long PROBE_TIMEOUT_MILLIS = 500;
  static final long WATCH_PERIOD_MILLIS = 100;
  /** How often held answers that are due are sent, while some are held. */
  static final long RELEASE_PERIOD_MILLIS = 10;
  private static final int LAG_TICKS = 10;
  private static final CharSequence SERVER_TIMING = HttpHeaders.createOptimized("Server-Timing");
  private static final OutageLog OUTAGES = new OutageLog(LoggerFactory.getLogger(RequestLimits.class), 10_000);
  private static final String BUSY = "The service is busy; try again in a moment";
  private static final byte[] SHED_JSON = FailureHandler.problemJson(Problem.UNAVAILABLE, BUSY, null).encode()
      .getBytes(StandardCharsets.UTF_8);
  private static final byte[] SHED_HTML = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
      + Problem.UNAVAILABLE.title + "</title></head><body><main><h1>" + Problem.UNAVAILABLE.title + "</h1><p>" + BUSY
      + ".</p><p><a href=\"/\">Back to the start</a></p></main></body></html>").getBytes(StandardCharsets.UTF_8);
  private static final CharSequence CLOSE = HttpHeaders.createOptimized("close");

  private final Vertx vertx;
  private final Pool pool;
  private final RequestMeter meter;
  private final int maxInFlight;
  private final int maxConnections;
  private final long shedHoldNanos;
  private final long shedSpreadNanos;
  private final int shedHoldMax;
  /** Shed answers waiting for their time, the earliest due first. */
  private final PriorityQueue<Held> held = new PriorityQueue<>(Comparator.comparingLong(Held::due));
  private final SplittableRandom random = new SplittableRandom();
  private long releaseTimer = -1;
  private final long requestTimeoutNanos;
  private final long databaseWaitNanos;
  private final long headerTimeoutNanos;
  private final MultiMap shedJsonHeaders;
  private final MultiMap shedHtmlHeaders;
  private final boolean serverTiming;
  /** The watch task's lateness (ns) in each of its last {@link #LAG_TICKS} runs (for {@code http.serverTiming}). */
  private final long[] lag = new long[LAG_TICKS];
  private long lagTick;
  private long lastWatch;
  /** HTTP connections counted against {@code maxConnections} (open, not upgraded to a WebSocket). */
  private final Set<HttpConnection> connections = new HashSet<>();
  /** Connections opened while {@code maxConnections} were open: their first request is refused and they close. */
  private final Set<HttpConnection> overLimit = new HashSet<>();
  /** Connections waiting for a request head, with their deadline (System.nanoTime); deadlines ascend. */
  private final LinkedHashMap<HttpConnection, Long> awaitingHead = new LinkedHashMap<>();
  /** Requests in flight with their start (System.nanoTime), oldest first. */
  private final LinkedHashMap<RoutingContext, Long> inFlight = new LinkedHashMap<>();
  private long watchTimer = -1;
  private boolean probing;
  private long shed;

  public RequestLimits(Vertx vertx, Pool pool, AppConfig.Http http) {
    this.vertx = vertx;
    this.pool = pool;
    this.meter = RequestMeter.of(vertx);
    this.maxInFlight = http.maxInFlight();
    this.maxConnections = http.maxConnections();
    this.shedHoldNanos = TimeUnit.MILLISECONDS.toNanos(http.shedHoldMillis());
    this.shedSpreadNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, http.shedSpreadMillis()));
    this.shedHoldMax = http.shedHoldMax();
    this.requestTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(http.requestTimeoutMillis());
    this.databaseWaitNanos = TimeUnit.MILLISECONDS.toNanos(http.databaseWaitMillis());
    this.headerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(http.headerTimeoutMillis());
    this.shedJsonHeaders = shedHeaders("application/problem+json", http.publicUrl());
    this.shedHtmlHeaders = shedHeaders("text/html; charset=utf-8", http.publicUrl());
    this.serverTiming = http.serverTiming();
  }

  private static MultiMap shedHeaders(String contentType, String publicUrl) {
    return SecurityHeaders.addTo(HttpHeaders.headers()
        .add(HttpHeaders.CONTENT_TYPE, HttpHeaders.createOptimized(contentType))
        .add(HttpHeaders.RETRY_AFTER, HttpHeaders.createOptimized(FailureHandler.RETRY_AFTER_SECONDS))
        .add(HttpHeaders.CACHE_CONTROL, HttpHeaders.createOptimized("no-store")), publicUrl);
  }

  /** Starts the periodic check of deadlines and of requests stuck on the database; call from the verticle's start. */
  public void start() {
    lastWatch = System.nanoTime();
    watchTimer = vertx.setPeriodic(WATCH_PERIOD_MILLIS, id -> watch());
  }

  public void stop() {
    vertx.cancelTimer(watchTimer);
    if (releaseTimer >= 0) {
      vertx.cancelTimer(releaseTimer);
      releaseTimer = -1;
    }
    answerHeld(0, true);
  }

  /** For {@code HttpServer.connectionHandler}: counts the connection; its first request head must arrive in time. */
  public void connected(HttpConnection connection) {
    (connections.size() < maxConnections ? connections : overLimit).add(connection);
    awaitHead(connection);
    connection.closeHandler(v -> {
      connections.remove(connection);
      overLimit.remove(connection);
      awaitingHead.remove(connection);
    });
  }

  /**
   * Wraps the server's request handler: admission is decided here, before routing and body handling. A request
   * over the in-flight limit, or on a connection over the connection limit, is answered 503 at once.
   */
  public Handler<HttpServerRequest> requests(Handler<HttpServerRequest> next) {
    return request -> {
      HttpConnection connection = request.connection();
      awaitingHead.remove(connection);
      boolean over = !overLimit.isEmpty() && overLimit.contains(connection);
      if ((over || inFlight.size() >= maxInFlight) && !exempt(request.path())) {
        shed(request, connection, over);
        return;
      }
      if ("/ws".equals(request.path()) && connections.remove(connection)) {
        // a WebSocket lives long by design: it is limited per user (limits.socketsPerUser), not counted here
        overLimit.remove(connection);
      }
      next.handle(request);
    };
  }

  private static boolean exempt(String path) {
    return "/ws".equals(path) || "/health".equals(path);
  }

  private void shed(HttpServerRequest request, HttpConnection connection, boolean overConnectionLimit) {
    shed++;
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    boolean page = accept != null && accept.contains("text/html") && !request.path().startsWith("/api/");
    // a GET without a body leaves nothing unread on the connection, so it can carry the next request
    boolean close = overConnectionLimit || request.getHeader(HttpHeaders.CONTENT_LENGTH) != null
        || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    if (!close && shedHoldNanos > 0 && held.size() < shedHoldMax) {
      long spread = shedSpreadNanos > 0 ? random.nextLong(shedSpreadNanos + 1) : 0;
      held.add(new Held(request, connection, page, System.nanoTime() + shedHoldNanos + spread));
      if (releaseTimer < 0) {
        releaseTimer = vertx.setPeriodic(RELEASE_PERIOD_MILLIS, id -> releaseHeld());
      }
      return;
    }
    answerShed(request, connection, page, close);
  }

  /** A shed request whose 503 is sent at {@code due} (System.nanoTime). */
  private record Held(HttpServerRequest request, HttpConnection connection, boolean page, long due) {}

  private void answerShed(HttpServerRequest request, HttpConnection connection, boolean page, boolean close) {
    meter.count(request.method().name(), 503);
    var response = request.response().setStatusCode(503);
    response.headers().addAll(page ? shedHtmlHeaders : shedJsonHeaders);
    if (close) {
      response.putHeader(HttpHeaders.CONNECTION, CLOSE);
    }
    response.end(Buffer.buffer(page ? SHED_HTML : SHED_JSON)).onComplete(ar -> {
      if (close || ar.failed()) {
        connection.close();
      } else {
        awaitHead(connection);
      }
    });
  }

  /** The release task: sends the held answers that are due, and stops itself once none is held. */
  private void releaseHeld() {
    answerHeld(System.nanoTime(), false);
    if (held.isEmpty() && releaseTimer >= 0) {
      vertx.cancelTimer(releaseTimer);
      releaseTimer = -1;
    }
  }

  /** Sends the held 503s that are due ({@code stopping}: all of them now, and their connections end). */
  private void answerHeld(long now, boolean stopping) {
    for (Held h = held.peek(); h != null && (stopping || h.due() - now <= 0); h = held.peek()) {
      held.poll();
      if (!h.request().response().ended() && !h.request().response().closed()) {
        answerShed(h.request(), h.connection(), h.page(), stopping);
      }
    }
  }

  /** Shed answers being held now. */
  int held() {
    return held.size();
  }

  /** The router's first handler after the security headers: the request was admitted by {@link #requests}. */
  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    long start = System.nanoTime();
    String method = ctx.request().method().name();
    if (exempt(path)) {
      ctx.addEndHandler(ar -> meter.record(method, ctx.response().getStatusCode(), System.nanoTime() - start));
      ctx.next();
      return;
    }
    inFlight.put(ctx, start);
    if (serverTiming) {
      ctx.addHeadersEndHandler(v -> ctx.response().putHeader(SERVER_TIMING, "app;dur=" + millis(System.nanoTime() - start)
          + ", lag;dur=" + millis(maxLag()) + ", t0;desc=" + start));
    }
    HttpConnection connection = ctx.request().connection();
    ctx.addEndHandler(ar -> {
      meter.record(method, ctx.response().getStatusCode(), System.nanoTime() - start);
      inFlight.remove(ctx);
      if (connection != null && ar.succeeded()) {
        awaitHead(connection); // keep-alive: the next request head must come in time too
      }
    });
    ctx.next();
  }

  /** Requests being worked on by this verticle now. */
  public int inFlight() {
    return inFlight.size();
  }

  /** Requests this verticle refused with 503 because it was at a limit. */
  public long shed() {
    return shed;
  }

  private static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6);
  }

  private long maxLag() {
    long max = 0;
    for (long l : lag) {
      max = Math.max(max, l);
    }
    return max;
  }

  private void watch() {
    long now = System.nanoTime();
    // the time since the previous run beyond the period: how long this task waited for the event loop
    lag[(int) (lagTick++ % LAG_TICKS)] = Math.max(0, now - lastWatch - TimeUnit.MILLISECONDS.toNanos(WATCH_PERIOD_MILLIS));
    lastWatch = now;
    closeSilentConnections(now);
    answerLateRequests(now);
    probeIfStuck(now);
  }

  private void closeSilentConnections(long now) {
    List<HttpConnection> late = null;
    for (Iterator<Map.Entry<HttpConnection, Long>> it = awaitingHead.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<HttpConnection, Long> e = it.next();
      if (e.getValue() - now > 0) {
        break; // deadlines ascend: the rest are later
      }
      it.remove();
      (late == null ? late = new ArrayList<>() : late).add(e.getKey());
    }
    if (late != null) {
      late.forEach(HttpConnection::close);
    }
  }

  private void answerLateRequests(long now) {
    List<RoutingContext> late = null;
    for (Map.Entry<RoutingContext, Long> e : inFlight.entrySet()) {
      if (now - e.getValue() < requestTimeoutNanos) {
        break; // oldest first
      }
      (late == null ? late = new ArrayList<>() : late).add(e.getKey());
    }
    if (late != null) {
      late.forEach(ctx -> {
        inFlight.remove(ctx); // answered now: no longer counted, whatever its handler still does
        answerUnavailable(ctx, "The request did not finish within "
            + TimeUnit.NANOSECONDS.toMillis(requestTimeoutNanos) + " ms; try again in a moment");
      });
    }
  }

  private void probeIfStuck(long now) {
    if (probing || inFlight.isEmpty()) {
      return;
    }
    long oldest = inFlight.values().iterator().next();
    if (now - oldest < databaseWaitNanos) {
      return;
    }
    probing = true;
    pool.query("SELECT 1").execute().timeout(PROBE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).onComplete(ar -> {
      probing = false;
      if (ar.succeeded()) {
        return; // the database answers: whatever is slow, it is not waiting on a dead database
      }
      long cutoff = System.nanoTime() - databaseWaitNanos;
      List<RoutingContext> stuck = new ArrayList<>();
      inFlight.forEach((ctx, startedAt) -> {
        if (startedAt - cutoff <= 0) {
          stuck.add(ctx);
        }
      });
      OUTAGES.warn("the database does not answer", stuck.size() + " waiting requests answered 503");
      stuck.forEach(ctx -> answerUnavailable(ctx, "The database is not available right now; try again in a few seconds"));
    });
  }

  private static void answerUnavailable(RoutingContext ctx, String detail) {
    if (!ctx.response().headWritten()) {
      ctx.fail(Problem.UNAVAILABLE.exception(detail));
    }
  }

  private void awaitHead(HttpConnection connection) {
    awaitingHead.remove(connection); // re-inserted last: deadlines stay in ascending order
    awaitingHead.put(connection, System.nanoTime() + headerTimeoutNanos);
  }
}
