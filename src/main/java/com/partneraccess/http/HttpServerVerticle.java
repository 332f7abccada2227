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
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.sqlclient.Pool;

/**
 * HTTP routing: the JSON API under {@code /api/v1}, built from {@code openapi.yaml} so every documented
 * operation has its handler and every request is validated against the document; {@code /health},
 * {@code /metrics}, {@code /openapi.yaml}. Deployed once per core. Partners' account-scoped requests
 * are checked by {@code rules.check} on the event bus. Reads {@code http.*}, {@code auth.*} and the rest
 * of {@link AppConfig} for the repositories it builds.
 */
public final class HttpServerVerticle extends VerticleBase {
  private final AppConfig config;
  private final AppClock clock;
  private Pool pool;
  private Mailer mailer;
  private HttpServer server;

  public HttpServerVerticle(AppConfig config, AppClock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    pool = Database.pool(vertx, DatabaseUrl.parse(config.db().url()), config.db().poolSize());
    mailer = Mailer.create(vertx, config.mail());
    Services services = Services.create(vertx, pool, config, clock, mailer);
    return ApiContract.load(vertx).compose(contract -> {
      Router root = Router.router(vertx);
      root.route().handler(SecurityHeaders.forPublicUrl(config.http().publicUrl()));
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
      // no h2c (cleartext HTTP/2 upgrade): browsers never use it, proxies can be smuggled through it, and its
      // 431 for oversized headers has no body; HTTP/1.1 answers 414/431 through FailureHandler.invalidRequest
      return vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true).setHttp2ClearTextEnabled(false))
          .requestHandler(root)
          .invalidRequestHandler(FailureHandler::invalidRequest)
          .listen(config.http().port());
    }).onSuccess(s -> server = s);
  }

  private Router apiRouter(OpenAPIContract contract, Services services) {
    RouterBuilder rb = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    for (OpenAPIRoute route : rb.getRoutes()) {
      route.setDoSecurity(false);
    }
    rb.rootHandler(new AuthenticationHandler(services.tokens()));
    new IdentityApi(services.identity(), services.accounts(), services.tokens()).mount(rb);
    new PartnerApi(services.partners(), services.connections(), services.invites(), services.commission(),
        services.banners()).mount(rb);
    new AccountApi(services.actors(), services.accounts(), services.connections(), services.invites(), services.jobs(),
        services.banners(), services.activity()).mount(rb);
    new OpsApi(clock, services.expiryRules(), config.opsToken()).mount(rb);
    return rb.createRouter();
  }

  private io.vertx.core.Handler<RoutingContext> metricsHandler() {
    if (!vertx.isMetricsEnabled()) {
      return ctx -> ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain").end("metrics are off\n");
    }
    return PrometheusScrapingHandler.create();
  }

  private void health(RoutingContext ctx) {
    pool.query("SELECT 1").execute()
        .onSuccess(r -> ctx.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("status", "UP").put("database", "UP").encode()))
        .onFailure(err -> ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("status", "DOWN").put("database", "DOWN").encode()));
  }

  @Override
  public Future<?> stop() {
    Future<Void> closing = server == null ? Future.succeededFuture() : server.close();
    return closing.eventually(() -> mailer.close()).eventually(() -> pool.close());
  }
}
