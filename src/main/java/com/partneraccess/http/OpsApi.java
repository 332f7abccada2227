package com.partneraccess.http;

import com.partneraccess.accounts.ExpiryRuleRepository;
import com.partneraccess.bus.Problem;
import com.partneraccess.expiry.ExpiryClient;
import com.partneraccess.reviews.ReviewClient;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The test clock ({@code POST /test/clock}, only with {@code TEST_CLOCK=true}) and the operator API
 * (R13 per-account switch-on and "run the expiry sweep now", authenticated by {@code OPS_TOKEN}; absent when no
 * token is configured).
 */
public final class OpsApi {
  private static final Logger LOG = LoggerFactory.getLogger(OpsApi.class);

  private final AppClock clock;
  private final ExpiryRuleRepository expiryRules;
  private final String opsToken;

  public OpsApi(AppClock clock, ExpiryRuleRepository expiryRules, String opsToken) {
    this.clock = clock;
    this.expiryRules = expiryRules;
    this.opsToken = opsToken;
  }

  public void mount(RouterBuilder rb) {
    rb.getRoute("getTestClock").addHandler(Api.handle(ctx -> {
      requireTestClock();
      return Api.ok(ctx, clockJson());
    }));
    rb.getRoute("advanceTestClock").addHandler(Api.handle(this::advance));
    rb.getRoute("setExpiryRule").addHandler(Api.handle(this::setExpiryRule));
    rb.getRoute("runExpirySweep").addHandler(Api.handle(this::runExpirySweep));
  }

  private void requireTestClock() {
    if (!clock.movable()) {
      throw Problem.TEST_CLOCK_OFF.exception("The test clock is off; start the service with TEST_CLOCK=true");
    }
  }

  private JsonObject clockJson() {
    return new JsonObject().put("now", clock.now().toString()).put("offsetSeconds", clock.offset().getSeconds());
  }

  private Future<?> advance(RoutingContext ctx) {
    requireTestClock();
    JsonObject b = Api.body(ctx);
    double days = b.getNumber("days", 0).doubleValue();
    double seconds = b.getNumber("seconds", 0).doubleValue();
    Duration by = Duration.ofMillis(Math.round(days * 86_400_000d + seconds * 1000d));
    Instant now = clock.advance(by);
    LOG.warn("TEST CLOCK moved forward by {}; service time is now {}", by, now);
    if (!b.getBoolean("sweep", false)) {
      return Api.ok(ctx, clockJson());
    }
    // for demos: expire what is now due at once, so partners hear about it without waiting for the timer
    // R30: then the access reviews' timer, so reviews fall due with the test clock too
    return new ExpiryClient(ctx.vertx()).sweepNow().compose(s -> new ReviewClient(ctx.vertx()).sweepNow()
        .compose(r -> Api.ok(ctx, clockJson()
            .put("sweep", new JsonObject().put("expired", s.expired()).put("warned", s.warned()))
            .put("reviews", new JsonObject().put("created", r.created()).put("lapsed", r.lapsed())))));
  }

  private Future<?> setExpiryRule(RoutingContext ctx) {
    requireOperator(ctx);
    String from = Api.body(ctx).getString("activeFrom");
    Instant at;
    try {
      at = from == null ? null : Instant.parse(from);
    } catch (RuntimeException e) {
      throw Problem.VALIDATION_FAILED.exception("activeFrom must be an ISO-8601 instant such as 2026-01-01T00:00:00Z");
    }
    return expiryRules.switchOn(Api.pathId(ctx, "accountId"), at).compose(n -> Api.ok(ctx, new JsonObject()
        .put("accountId", ctx.pathParam("accountId")).put("activeFrom", at == null ? null : at.toString())
        .put("connectionsUpdated", n)));
  }

  /** Runs an expiry sweep now through {@code expiry.sweep} and reports what it did. */
  private Future<?> runExpirySweep(RoutingContext ctx) {
    requireOperator(ctx);
    return new ExpiryClient(ctx.vertx()).sweepNow().compose(s -> Api.ok(ctx, new JsonObject()
        .put("expired", s.expired()).put("warned", s.warned())));
  }

  /**
   * Lets {@code next} answer only the operator: the operator token in {@code X-Ops-Token} or as
   * {@code Authorization: Bearer} (how Prometheus sends credentials); 401 otherwise, 404 when no token is configured.
   */
  public static io.vertx.core.Handler<RoutingContext> operatorOnly(String opsToken, io.vertx.core.Handler<RoutingContext> next) {
    return ctx -> {
      try {
        new OpsApi(null, null, opsToken).requireOperator(ctx);
      } catch (RuntimeException refused) {
        ctx.fail(refused);
        return;
      }
      next.handle(ctx);
    };
  }

  /** The operator check of {@link #operatorOnly}, for the other operator routes (webhooks). */
  static void requireOperator(RoutingContext ctx, String opsToken) {
    new OpsApi(null, null, opsToken).requireOperator(ctx);
  }

  private void requireOperator(RoutingContext ctx) {
    if (opsToken == null) {
      throw Problem.NOT_FOUND.exception("The operator API is off; set OPS_TOKEN to use it");
    }
    String header = ctx.request().getHeader("X-Ops-Token");
    String authorization = ctx.request().getHeader("Authorization");
    if (header == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      header = authorization.substring(7).strip();
    }
    if (header == null || !MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
        opsToken.getBytes(StandardCharsets.UTF_8))) {
      throw Problem.UNAUTHENTICATED.exception("Send the operator token in X-Ops-Token");
    }
  }
}
