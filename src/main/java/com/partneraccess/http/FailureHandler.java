package com.partneraccess.http;

import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import com.partneraccess.db.OutageLog;
import com.partneraccess.db.Unavailable;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.pgclient.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: every refusal becomes {@code application/problem+json} (RFC 9457) with a
 * machine-readable {@code reason}; unexpected failures are logged and answered without a stack trace.
 * Browser pages get the same information as an HTML error page through {@link #pageRenderer}.
 */
public final class FailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);
  /** During an outage: one line per kind of failure per 10 s, not a stack trace per request. */
  private static final OutageLog OUTAGES = new OutageLog(LOG, 10_000);
  /** Seconds a client is asked to wait after a 503 (overload or an unavailable database). */
  static final String RETRY_AFTER_SECONDS = "2";

  /** Renders a refusal as HTML for page routes; null until the pages are mounted. */
  public interface PageRenderer {
    boolean wants(RoutingContext ctx);

    void render(RoutingContext ctx, Problem problem, String detail);
  }

  private final PageRenderer pageRenderer;

  public FailureHandler(PageRenderer pageRenderer) {
    this.pageRenderer = pageRenderer;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return; // already answered (by the request timeout): a late failure or late reply has nothing left to say
    }
    Throwable failure = ctx.failure();
    if (failure instanceof HttpException he && he.getCause() instanceof ValidatorException ve) {
      // the OpenAPI router reports validation failures as a 400 HttpException wrapping the validator's exception
      failure = ve;
    }
    Problem problem;
    String detail;
    if (failure instanceof DomainException de) {
      problem = de.problem();
      detail = de.getMessage();
    } else if (failure instanceof ValidatorException ve) {
      problem = Problem.VALIDATION_FAILED;
      detail = ve.getMessage();
      String d = detail == null ? "" : detail;
      if (d.contains("can't be decoded")) {
        problem = Problem.MALFORMED_JSON;
        detail = "The body is not valid JSON";
      } else if (d.contains("format of the request body is not supported") || d.contains("content type")) {
        problem = Problem.UNSUPPORTED_MEDIA_TYPE;
        detail = "Send the body as JSON with Content-Type: application/json";
      }
    } else if (failure instanceof DecodeException || (failure != null && failure.getCause() instanceof DecodeException)) {
      problem = Problem.MALFORMED_JSON;
      detail = "The body is not valid JSON";
    } else if (failure instanceof HttpException he) {
      problem = byStatus(he.getStatusCode());
      detail = he.getPayload() != null ? he.getPayload() : problem.title;
    } else if (failure instanceof PgException pg
        && ("40P01".equals(pg.getSqlState()) || "40001".equals(pg.getSqlState()))) {
      // a deadlock or serialization failure rolled the transaction back: nothing changed, the client may retry
      problem = Problem.CONFLICT;
      detail = "This request collided with a simultaneous change and was not applied; try again";
      LOG.warn("Transaction rolled back ({}) on {} {}", pg.getSqlState(), ctx.request().method(), ctx.request().path());
    } else if (Unavailable.isDatabaseUnavailable(failure)) {
      problem = Problem.UNAVAILABLE;
      detail = "The database is not available right now; try again in a few seconds";
      OUTAGES.warn(Unavailable.kind(failure), ctx.request().method() + " " + ctx.request().path());
    } else if (failure == null) {
      problem = byStatus(ctx.statusCode());
      detail = problem.title;
    } else {
      problem = Problem.INTERNAL;
      detail = problem.title;
      LOG.error("Unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
    }
    if (problem == Problem.INTERNAL && failure == null) {
      LOG.error("Request failed with status {} on {} {}", ctx.statusCode(), ctx.request().method(), ctx.request().path());
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (problem.status == 503) {
      ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
    if (pageRenderer != null && pageRenderer.wants(ctx)) {
      pageRenderer.render(ctx, problem, detail);
      return;
    }
    JsonObject body = new JsonObject()
        .put("type", "https://partner-access.example/problems/" + problem.name().toLowerCase().replace('_', '-'))
        .put("title", problem.title)
        .put("status", problem.status)
        .put("detail", detail)
        .put("reason", problem.name())
        .put("instance", ctx.request().path());
    if (problem.status == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    if (problem.status == 429) {
      ctx.response().putHeader("Retry-After", "900");
    }
    ctx.response().setStatusCode(problem.status).putHeader("Content-Type", "application/problem+json")
        .end(body.encode());
  }

  private static Problem byStatus(int status) {
    return switch (status) {
      case 400 -> Problem.VALIDATION_FAILED;
      case 401 -> Problem.UNAUTHENTICATED;
      case 403 -> Problem.FORBIDDEN;
      case 404 -> Problem.NOT_FOUND;
      case 405 -> Problem.METHOD_NOT_ALLOWED;
      case 413 -> Problem.PAYLOAD_TOO_LARGE;
      case 415 -> Problem.UNSUPPORTED_MEDIA_TYPE;
      case 503 -> Problem.UNAVAILABLE;
      default -> status >= 400 && status < 500 ? Problem.VALIDATION_FAILED : Problem.INTERNAL;
    };
  }
}
