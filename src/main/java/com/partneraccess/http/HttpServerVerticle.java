package com.partneraccess.http;

import com.partneraccess.Services;
import com.partneraccess.banner.WebSocketHandler;
import com.partneraccess.config.AppConfig;
import com.partneraccess.db.Database;
import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.mail.Mailer;
import com.partneraccess.time.AppClock;
import com.partneraccess.web.PageRoutes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.InputTrustHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.sqlclient.Pool;

import java.util.concurrent.TimeUnit;

/**
 * HTTP routing: the JSON API under {@code /api/v1}, built from {@code openapi.yaml} so every documented
 * operation has its handler and every request is validated against the document; {@code /health},
 * {@code /metrics}, {@code /openapi.yaml}. Deployed once per core. Partners' account-scoped requests
 * are checked by {@code rules.check} on the event bus. Reads {@code http.*}, {@code auth.*} and the rest
 * of {@link AppConfig} for the repositories it builds.
 */
public final class HttpServerVerticle extends VerticleBase {
  /** /health gives up on the database this soon (the pool's acquire timeout may be longer). */
  private static final long HEALTH_TIMEOUT_MILLIS = 800;

  private final AppConfig config;
  private final AppClock clock;
  private Pool pool;
  private Mailer mailer;
  private HttpServer server;
  private RequestLimits limits;

  public HttpServerVerticle(AppConfig config, AppClock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, DatabaseUrl.parse(config.db().url()), config.db());
    mailer = Mailer.create(vertx, config.mail());
    Services services = Services.create(vertx, pool, config, clock, mailer);
    limits = new RequestLimits(vertx, pool, config.http());
    limits.start();
    return ApiContract.load(vertx).compose(contract -> {
      Router root = Router.router(vertx);
      root.route().handler(SecurityHeaders.forPublicUrl(config.http().publicUrl()));
      root.route().handler(limits);
      root.get("/ws").handler(new WebSocketHandler(vertx, services));
      root.route().handler(BodyHandler.create(false).setBodyLimit(config.http().bodyLimitBytes()));
      root.route().handler(new InputGuard());
      root.get("/health").handler(this::health);
      root.get("/metrics").handler(OpsApi.operatorOnly(config.opsToken(), metricsHandler()));
      root.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml")
          .sendFile(ApiContract.RESOURCE).onFailure(ctx::fail));
      root.route("/api/v1/*").subRouter(apiRouter(contract, services));
      PageRoutes pages = new PageRoutes(vertx, services);
      pages.mount(root);
      FailureHandler failures = new FailureHandler(pages.errorPages());
      root.route().failureHandler(failures);
      root.route().last().handler(ctx -> ctx.fail(404));
      // HTTP/1.1 only: with clear-text HTTP/2 on, a connection is set up (and its header timer started) only once
      // its first request head has arrived, so a client dribbling that head would never be timed; browsers never
      // use h2c, proxies can be smuggled through it, and its 431 for oversized headers has no body (HTTP/1.1
      // answers 414/431 through FailureHandler.invalidRequest)
      // live sockets (issue 10, goal 3): strict thread mode (every response and frame is written on this verticle's
      // event loop, which the service does: handlers run on it and futures complete on it) spares each connection
      // Vert.x's multi-producer write queue (a 1,024-slot array, about 4 KB, that an upgraded connection keeps for as
      // long as its WebSocket is open); no WebSocket compression (a deflater per socket). The lost hello once blamed
      // on strict mode was the test client's race (handlers set after connecting; LiveClient sets them on the loop).
      return vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true)
              .setHttp2ClearTextEnabled(false).setIdleTimeout(config.http().idleTimeoutSeconds())
              .setStrictThreadMode(true)
              .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false))
          .connectionHandler(limits::connected)
          .requestHandler(limits.requests(root))
          .invalidRequestHandler(FailureHandler::invalidRequest)
          .listen(config.http().port());
    }).onSuccess(s -> server = s);
  }

  private Router apiRouter(OpenAPIContract contract, Services services) {
    RequestExtractor extractor = OnceDecodedQuery.extractor(); // not withBodyHandler(): see OnceDecodedQuery
    RouterBuilder rb = RouterBuilder.create(vertx, contract, extractor);
    ContractValidator validator = new ContractValidator(vertx, contract);
    for (OpenAPIRoute route : rb.getRoutes()) {
      route.setDoSecurity(false);
      // validated by ContractValidator instead (validators built once, on the event loop): see its Javadoc
      route.setDoValidation(false);
    }
    rb.rootHandler(new AuthenticationHandler(services.tokens()));
    new IdentityApi(services.identity(), services.accounts(), services.tokens()).mount(rb);
    new PartnerApi(services.partners(), services.connections(), services.accessRequests(), services.invites(),
        services.commission(), services.banners()).mount(rb);
    new AccountApi(services.actors(), services.accounts(), services.connections(), services.accessRequests(),
        services.invites(), services.jobs(), services.banners(), services.activity()).mount(rb);
    new OpsApi(clock, services.expiryRules(), config.opsToken()).mount(rb);
    new NotificationApi(services.notifications()).mount(rb);
    new TeamApi(services.teams(), services.tokens()).mount(rb);
    new RecoveryApi(services.recovery(), services.tokens()).mount(rb);
    new DirectoryApi(services.actors(), services.directory()).mount(rb);
    new ReviewApi(services.actors(), services.reviews()).mount(rb);
    new WebhookApi(services.webhooks(), config.opsToken()).mount(rb);
    validateEveryRoute(rb, validator, extractor);
    return rb.createRouter();
  }

  /**
   * Puts the contract's validation first on every operation that has handlers (an operation without any still gets
   * the router's 503). The route's handler list is the builder's own; the check below fails start-up if that changes.
   */
  static void validateEveryRoute(RouterBuilder rb, ContractValidator validator, RequestExtractor extractor) {
    for (OpenAPIRoute route : rb.getRoutes()) {
      if (!route.getHandlers().isEmpty()) {
        InputTrustHandler validation = validator.handler(extractor, route.getOperation());
        route.getHandlers().add(0, validation);
        if (route.getHandlers().get(0) != validation) {
          throw new IllegalStateException("cannot put request validation first on " + route.getOperation().getOperationId());
        }
      }
    }
  }

  private io.vertx.core.Handler<RoutingContext> metricsHandler() {
    if (!vertx.isMetricsEnabled()) {
      return ctx -> ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain").end("metrics are off\n");
    }
    return PrometheusScrapingHandler.create();
  }

  /** UP when the database answers {@code SELECT 1} within {@link #HEALTH_TIMEOUT_MILLIS}, else 503 DOWN at once. */
  private void health(RoutingContext ctx) {
    pool.query("SELECT 1").execute().timeout(HEALTH_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .onSuccess(r -> ctx.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("status", "UP").put("database", "UP").encode()))
        .onFailure(err -> ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json")
            .putHeader("Retry-After", FailureHandler.RETRY_AFTER_SECONDS)
            .end(new JsonObject().put("status", "DOWN").put("database", "DOWN").encode()));
  }

  @Override
  public Future<?> stop() {
    limits.stop();
    Future<Void> closing = server == null ? Future.succeededFuture() : server.close();
    return closing.eventually(() -> mailer.close()).eventually(() -> pool.close());
  }
}
