package com.partneraccess.http;

import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import com.partneraccess.db.OutageLog;
import com.partneraccess.db.Sql;
import com.partneraccess.db.Unavailable;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
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
    failure = Sql.dataErrorAsRefusal(failure);
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
    } else if (isFormDecoding(failure)) {
      // the form decoder (Netty) refused the body: a field over the form attribute limit (8 KB), too many
      // fields, a broken %-encoding, or a form body on a GET; this happens before any page handler runs
      String m = String.valueOf(failure.getMessage()) + failure.getClass().getSimpleName();
      boolean tooBig = m.contains("Size exceed") || m.contains("TooLong") || m.contains("TooMany");
      problem = tooBig ? Problem.PAYLOAD_TOO_LARGE : Problem.VALIDATION_FAILED;
      detail = tooBig ? "A form field is too long (at most 8 KB each) or the form has too many fields"
          : "The body could not be read as a form (a broken %-encoding, or a form sent with GET)";
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
    if (failure instanceof DomainException de && de.retryAfterSeconds() > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(de.retryAfterSeconds()));
    } else if (problem.status == 503) {
      ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
    } else if (problem.status == 429) {
      ctx.response().putHeader("Retry-After", "900");
    }
    if (pageRenderer != null && pageRenderer.wants(ctx)) {
      pageRenderer.render(ctx, problem, detail);
      return;
    }
    JsonObject body = problemJson(problem, detail, ctx.request().path());
    if (problem.status == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    ctx.response().setStatusCode(problem.status).putHeader("Content-Type", "application/problem+json")
        .end(body.encode());
  }

  static JsonObject problemJson(Problem problem, String detail, String instance) {
    return new JsonObject()
        .put("type", "https://partner-access.example/problems/" + problem.name().toLowerCase().replace('_', '-'))
        .put("title", problem.title)
        .put("status", problem.status)
        .put("detail", detail)
        .put("reason", problem.name())
        .put("instance", instance);
  }

  /** Failures of Netty's form decoder (too long a field, too many fields, bad encoding), possibly wrapped. */
  private static boolean isFormDecoding(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getClass().getName().startsWith("io.netty.handler.codec.http.multipart.")) {
        return true;
      }
      StackTraceElement[] st = t.getStackTrace();
      if (st.length > 0 && (st[0].getClassName().startsWith("io.netty.handler.codec.http.multipart.")
          || "setExpectMultipart".equals(st[0].getMethodName()))) { // a form body on a GET or HEAD
        return true;
      }
    }
    return false;
  }

  /**
   * For {@code HttpServer.invalidRequestHandler}: a request the HTTP decoder could not read (URI over the
   * initial-line limit: 414; headers over the header limit: 431; otherwise 400) gets a problem+json body
   * saying why, then the connection closes (as Vert.x's default handler does, which sends no body).
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    Problem problem;
    String detail;
    if (cause instanceof TooLongHttpLineException) {
      problem = Problem.URI_TOO_LONG;
      detail = "The request line (method, path and query) is too long; send long data in a body instead";
    } else if (cause instanceof TooLongHttpHeaderException) {
      problem = Problem.HEADERS_TOO_LARGE;
      detail = "The request's headers (cookies included) are too large; send fewer or shorter headers";
    } else {
      problem = Problem.VALIDATION_FAILED;
      detail = "The HTTP request could not be read";
    }
    // a 414 is found before the path and headers are read; a 431's request line and early headers are known
    String accept = request.headers().get("Accept");
    String path = request.path();
    boolean page = cause instanceof TooLongHttpHeaderException && accept != null && accept.contains("text/html")
        && path != null && !path.startsWith("/api/");
    String body = page
        ? "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + problem.title
            + "</title></head><body><main><h1>" + problem.title + "</h1><p>" + detail
            + "</p><p><a href=\"/\">Back to the start</a></p></main></body></html>"
        : problemJson(problem, detail, null).encode();
    request.response().setStatusCode(problem.status)
        .putHeader("Content-Type", page ? "text/html; charset=utf-8" : "application/problem+json")
        .putHeader("Connection", "close")
        .end(body)
        .onComplete(done -> request.connection().close());
  }

  private static Problem byStatus(int status) {
    return switch (status) {
      case 400 -> Problem.VALIDATION_FAILED;
      case 401 -> Problem.UNAUTHENTICATED;
      case 403 -> Problem.FORBIDDEN;
      case 404 -> Problem.NOT_FOUND;
      case 405 -> Problem.METHOD_NOT_ALLOWED;
      case 413 -> Problem.PAYLOAD_TOO_LARGE;
      case 414 -> Problem.URI_TOO_LONG;
      case 431 -> Problem.HEADERS_TOO_LARGE;
      case 415 -> Problem.UNSUPPORTED_MEDIA_TYPE;
      case 503 -> Problem.UNAVAILABLE;
      default -> status >= 400 && status < 500 ? Problem.VALIDATION_FAILED : Problem.INTERNAL;
    };
  }
}
