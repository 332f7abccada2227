import com.partneraccess.authz.TeamScope;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The partner hot path with nothing else: a bare Vert.x 5 HTTP server doing the same work as the service's
 * {@code GET /api/v1/account/jobs?limit=N} for a partner's account-scoped token: verify the HS256 JWT, read the
 * connection (the access check's SELECT, same statement: R28's teammate scope from the service's own
 * {@code TeamScope}, R29's grant end), refuse unless access is enabled, unexpired, within its grant and in the
 * teammate's scope and the account active, read the jobs (the route's unfiltered SELECT, same statement), answer
 * small JSON. Same pool (8 shared connections,
 * prepared statements cached, pipelining 256), one verticle per core. No validation, metrics, limits or logging.
 *
 * <p>Not part of the service's jar: run it with the service's class path, as {@code bench/hot-path.sh} does:
 * {@code java -cp target/partner-access-0.1.0-SNAPSHOT.jar bench/minimal-app/MinimalApp.java}.
 * Environment: {@code PORT}, {@code PGPORT} (the embedded database's port), {@code JWT_SECRET}.
 */
public class MinimalApp extends VerticleBase {
  /** The access check's read as the service has it: with R29's grant end and R28's teammate scope (same predicate). */
  static final String READ_CONNECTION = """
      SELECT c.id, c.access, c.expires_at, a.status, a.business_name, c.last_accessed_at, c.enabled_at,
             a.hundredth_job_at, a.expiry_rule_from, p.rule_from AS global_rule_from, c.grant_ends_at, """
      + TeamScope.visibleTo("$3") + """
       AS in_scope
        FROM connections c JOIN accounts a ON a.id = c.account_id JOIN policy p ON p.id = 1
       WHERE c.partner_id = $1 AND c.account_id = $2 AND c.disconnected_at IS NULL""";
  static final String LIST = """
      SELECT j.id, j.title, j.created_at, u.name AS user_name, p.name AS partner_name
        FROM jobs j LEFT JOIN users u ON u.id = j.created_by LEFT JOIN partners p ON p.id = j.partner_id
       WHERE j.account_id = $1::uuid
       ORDER BY j.created_at DESC, j.id LIMIT $2::int""";

  private JWTAuth jwt;
  private Pool pool;

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    int instances = Runtime.getRuntime().availableProcessors();
    vertx.deployVerticle(MinimalApp::new, new DeploymentOptions().setInstances(instances)).await();
    System.err.println("minimal app listening on port " + System.getenv().getOrDefault("PORT", "18091"));
  }

  @Override
  public Future<?> start() {
    jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(System.getenv("JWT_SECRET")))
        .setJWTOptions(new JWTOptions().setIssuer("partner-access").setAudience(List.of("partner-access"))));
    pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(8).setShared(true).setName("minimal"))
        .connectingTo(new PgConnectOptions().setHost("localhost").setPort(Integer.parseInt(System.getenv("PGPORT")))
            .setDatabase("partneraccess").setUser("postgres").setPassword("postgres")
            .setCachePreparedStatements(true).setPipeliningLimit(256))
        .using(vertx)
        .build();
    return vertx.createHttpServer().requestHandler(this::jobs)
        .listen(Integer.parseInt(System.getenv().getOrDefault("PORT", "18091")));
  }

  private void jobs(HttpServerRequest req) {
    String auth = req.getHeader("Authorization");
    if (auth == null || !auth.startsWith("Bearer ")) {
      req.response().setStatusCode(401).end();
      return;
    }
    int limit = Integer.parseInt(req.getParam("limit", "50"));
    jwt.authenticate(new TokenCredentials(auth.substring(7))).compose(user -> {
      JsonObject claims = user.principal();
      UUID account = UUID.fromString(claims.getString("acct"));
      UUID partner = UUID.fromString(claims.getString("pid"));
      UUID userId = UUID.fromString(claims.getString("sub"));
      return pool.preparedQuery(READ_CONNECTION).execute(Tuple.of(partner, account, userId)).compose(rows -> {
        Row c = rows.size() == 0 ? null : rows.iterator().next();
        OffsetDateTime expires = c == null ? null : c.getOffsetDateTime("expires_at");
        OffsetDateTime grantEnds = c == null ? null : c.getOffsetDateTime("grant_ends_at");
        OffsetDateTime now = OffsetDateTime.now();
        if (c == null || !"enabled".equals(c.getString("access")) || !"active".equals(c.getString("status"))
            || (expires != null && !expires.isAfter(now)) || (grantEnds != null && !grantEnds.isAfter(now))
            || !Boolean.TRUE.equals(c.getBoolean("in_scope"))) {
          return Future.failedFuture("refused");
        }
        return pool.preparedQuery(LIST).execute(Tuple.of(account, limit));
      });
    }).onSuccess(rows -> {
      JsonArray jobs = new JsonArray();
      for (Row r : rows) {
        jobs.add(new JsonObject().put("id", r.getUUID("id").toString()).put("title", r.getString("title"))
            .put("createdAt", r.getOffsetDateTime("created_at").toString())
            .put("createdBy", r.getString("user_name")).put("partner", r.getString("partner_name")));
      }
      req.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("jobs", jobs).encode());
    }).onFailure(err -> req.response().setStatusCode(403).end());
  }
}
