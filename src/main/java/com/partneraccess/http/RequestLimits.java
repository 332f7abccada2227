package com.partneraccess.http;

import com.partneraccess.bus.Problem;
import com.partneraccess.config.AppConfig;
import com.partneraccess.db.OutageLog;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Bounds on the work one HTTP verticle takes on, so the requests it admits stay fast and none hangs:
 * <ul>
 *   <li>at most {@code http.maxInFlight} requests at once; beyond that a request is refused at once with 503
 *   {@code UNAVAILABLE} and {@code Retry-After} (a counter, no I/O), and its connection is closed after the answer,
 *   so a client that retries at once pays a new connection first instead of queueing ahead of admitted work;</li>
 *   <li>when a request has been in flight for {@code http.databaseWaitMillis}, the database is probed
 *   ({@code SELECT 1} through the pool, {@link #PROBE_TIMEOUT_MILLIS}); if it does not answer (stopped, frozen,
 *   partitioned), every request in flight that long is answered 503 at once, instead of when its query would
 *   have come back. Slow work that is not the database's (password hashing on a busy machine) is left alone;</li>
 *   <li>every request is answered 503 after {@code http.requestTimeoutMillis} at the latest;</li>
 *   <li>a connection must send a whole request head within {@code http.headerTimeoutMillis} of opening, or of
 *   its previous response, or it is closed (slow-header clients hold no connection for long).</li>
 * </ul>
 * WebSocket upgrades ({@code /ws}) are neither counted nor timed: they live long by design; nor is {@code /health}
 * (bounded on its own), so a load balancer does not take a busy but healthy instance out. One instance per
 * verticle instance, used only on its event loop, so plain fields suffice.
 */
public final class RequestLimits implements Handler<RoutingContext> {
  static final long PROBE_TIMEOUT_MILLIS = 500;
  private static final long WATCH_PERIOD_MILLIS = 100;
  private static final OutageLog OUTAGES = new OutageLog(LoggerFactory.getLogger(RequestLimits.class), 10_000);

  private final Vertx vertx;
  private final Pool pool;
  private final int maxInFlight;
  private final long requestTimeoutMillis;
  private final long databaseWaitNanos;
  private final long headerTimeoutMillis;
  private final Map<HttpConnection, Long> headerTimers = new HashMap<>();
  /** Requests in flight with their start (System.nanoTime), oldest first. */
  private final LinkedHashMap<RoutingContext, Long> inFlight = new LinkedHashMap<>();
  private long watchTimer = -1;
  private boolean probing;

  public RequestLimits(Vertx vertx, Pool pool, AppConfig.Http http) {
    this.vertx = vertx;
    this.pool = pool;
    this.maxInFlight = http.maxInFlight();
    this.requestTimeoutMillis = http.requestTimeoutMillis();
    this.databaseWaitNanos = TimeUnit.MILLISECONDS.toNanos(http.databaseWaitMillis());
    this.headerTimeoutMillis = http.headerTimeoutMillis();
  }

  /** Starts watching for requests stuck on the database; call from the verticle's start. */
  public void start() {
    watchTimer = vertx.setPeriodic(WATCH_PERIOD_MILLIS, id -> watch());
  }

  public void stop() {
    vertx.cancelTimer(watchTimer);
  }

  /** For {@code HttpServer.connectionHandler}: the first request head must arrive in time. */
  public void connected(HttpConnection connection) {
    awaitHeaders(connection);
    connection.closeHandler(v -> stopWaiting(connection));
  }

  /** Wraps the server's request handler: a request head arrived, so its connection is no longer waiting. */
  public Handler<HttpServerRequest> requests(Handler<HttpServerRequest> next) {
    return request -> {
      stopWaiting(request.connection());
      next.handle(request);
    };
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    if ("/ws".equals(path) || "/health".equals(path)) {
      ctx.next();
      return;
    }
    if (inFlight.size() >= maxInFlight) {
      HttpConnection connection = ctx.request().connection();
      ctx.addEndHandler(ar -> connection.close());
      ctx.fail(Problem.UNAVAILABLE.exception("The service is busy; try again in a moment"));
      return;
    }
    inFlight.put(ctx, System.nanoTime());
    HttpConnection connection = ctx.request().connection();
    long timer = vertx.setTimer(requestTimeoutMillis, id -> answerUnavailable(ctx,
        "The request did not finish within " + requestTimeoutMillis + " ms; try again in a moment"));
    ctx.addEndHandler(ar -> {
      inFlight.remove(ctx);
      vertx.cancelTimer(timer);
      if (connection != null && ar.succeeded()) {
        awaitHeaders(connection); // keep-alive: the next request head must come in time too
      }
    });
    ctx.next();
  }

  /** Requests being worked on by this verticle now. */
  public int inFlight() {
    return inFlight.size();
  }

  private void watch() {
    if (probing || inFlight.isEmpty()) {
      return;
    }
    long oldest = inFlight.values().iterator().next();
    if (System.nanoTime() - oldest < databaseWaitNanos) {
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

  private void awaitHeaders(HttpConnection connection) {
    stopWaiting(connection);
    long id = vertx.setTimer(headerTimeoutMillis, t -> {
      headerTimers.remove(connection);
      connection.close();
    });
    headerTimers.put(connection, id);
  }

  private void stopWaiting(HttpConnection connection) {
    Long id = connection == null ? null : headerTimers.remove(connection);
    if (id != null) {
      vertx.cancelTimer(id);
    }
  }
}
