package com.partneraccess.http;

import com.partneraccess.bus.Problem;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.Map;

/**
 * Bounds on the work one HTTP verticle takes on, so the requests it admits stay fast and none hangs:
 * <ul>
 *   <li>at most {@code http.maxInFlight} requests at once; beyond that a request is refused at once with 503
 *   {@code UNAVAILABLE} and {@code Retry-After} (a counter, no I/O);</li>
 *   <li>a request not answered within {@code http.requestTimeoutMillis} is answered 503 {@code UNAVAILABLE};</li>
 *   <li>a connection must send a whole request head within {@code http.headerTimeoutMillis} of opening, or of
 *   its previous response, or it is closed (slow-header clients hold no connection for long).</li>
 * </ul>
 * WebSocket upgrades ({@code /ws}) are neither counted nor timed: they live long by design. One instance per
 * verticle instance, used only on its event loop, so plain fields suffice.
 */
public final class RequestLimits implements Handler<RoutingContext> {
  private final Vertx vertx;
  private final int maxInFlight;
  private final long requestTimeoutMillis;
  private final long headerTimeoutMillis;
  private final Map<HttpConnection, Long> headerTimers = new HashMap<>();
  private int inFlight;

  public RequestLimits(Vertx vertx, int maxInFlight, long requestTimeoutMillis, long headerTimeoutMillis) {
    this.vertx = vertx;
    this.maxInFlight = maxInFlight;
    this.requestTimeoutMillis = requestTimeoutMillis;
    this.headerTimeoutMillis = headerTimeoutMillis;
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
    if ("/ws".equals(ctx.request().path())) {
      ctx.next();
      return;
    }
    if (inFlight >= maxInFlight) {
      ctx.fail(Problem.UNAVAILABLE.exception("The service is busy; try again in a moment"));
      return;
    }
    inFlight++;
    HttpConnection connection = ctx.request().connection();
    long timer = vertx.setTimer(requestTimeoutMillis, id -> {
      if (!ctx.response().headWritten()) {
        ctx.fail(Problem.UNAVAILABLE.exception("The request did not finish within " + requestTimeoutMillis
            + " ms; try again in a moment"));
      }
    });
    ctx.addEndHandler(ar -> {
      inFlight--;
      vertx.cancelTimer(timer);
      if (connection != null && ar.succeeded()) {
        awaitHeaders(connection); // keep-alive: the next request head must come in time too
      }
    });
    ctx.next();
  }

  /** Requests being worked on by this verticle now (for tests and metrics). */
  public int inFlight() {
    return inFlight;
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
