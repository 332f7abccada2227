package com.partneraccess.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration, parsed once. Sources, later ones winning: the defaults in the jar
 * ({@value #DEFAULTS_RESOURCE}), {@code conf/config.json} (or the file named by {@code -Dconfig} / {@code CONFIG_FILE}),
 * system properties, environment. The environment keys {@code PORT}, {@code DATABASE_URL}, {@code JWT_SECRET},
 * {@code DATA_DIR}, {@code TEST_CLOCK} and {@code OPS_TOKEN} override the file.
 */
public record AppConfig(
    Http http,
    Db db,
    Auth auth,
    Policy policy,
    Commission commission,
    Credits credits,
    long touchFlushMillis,
    Expiry expiry,
    boolean testClock,
    boolean demoEnabled,
    String opsToken,
    Mail mail,
    Limits limits,
    Reviews reviews,
    Webhooks webhooks,
    Retention retention) {

  /**
   * {@code wsPingMillis}: how often open WebSockets are pinged; one that missed the previous pong is closed.
   * {@code maxInFlight}: requests one HTTP verticle works on at once, more get 503; {@code requestTimeoutMillis}:
   * a request not answered by then gets 503; {@code databaseWaitMillis}: a request in flight this long while the
   * database does not answer a probe gets 503; {@code idleTimeoutSeconds}: a connection with no traffic is closed;
   * {@code headerTimeoutMillis}: a connection must send a whole request head this soon after opening or after
   * its previous response, or it is closed; {@code maxConnections}: HTTP connections one HTTP verticle keeps
   * (WebSockets not counted), the first request on any more gets 503 and the connection is closed;
   * {@code shedHoldMillis}: a GET refused over the in-flight limit gets its 503 this much later (within the 2 s
   * Retry-After it carries),
   * so a client that ignores Retry-After cannot turn refusals into a flood that starves the admitted requests (0: at
   * once); {@code shedHoldMax}: at most this many refusals held per HTTP verticle, any more are answered at once.
   */
  public record Http(int port, int instances, int bodyLimitBytes, String publicUrl, List<String> allowedOrigins,
                     long wsPingMillis, int maxInFlight, long requestTimeoutMillis, long databaseWaitMillis,
                     int idleTimeoutSeconds, long headerTimeoutMillis, int maxConnections, long shedHoldMillis,
                     int shedHoldMax, long shedSpreadMillis, boolean serverTiming) {}

  /**
   * {@code url} is null when the embedded PostgreSQL should be used. The waits on the database are bounded:
   * {@code connectTimeoutMillis} (TCP connect), {@code acquireTimeoutMillis} (waiting for a pooled connection),
   * {@code maxWaitQueue} (waiters beyond it fail at once), {@code statementTimeoutMillis} (PostgreSQL's
   * {@code statement_timeout}).
   */
  public record Db(String url, int poolSize, Path dataDir, int embeddedPort, int connectTimeoutMillis,
                   int acquireTimeoutMillis, int maxWaitQueue, int statementTimeoutMillis) {}

  /** {@code secretGenerated} is true when no JWT_SECRET was given and a random one is used. */
  public record Auth(String issuer, String audience, int tokenMinutes, int bcryptCost, String jwtSecret,
                     boolean secretGenerated) {}

  /** R11-R13: the 60-day rule, the 100-job threshold, the date the rule is on for all accounts. */
  public record Policy(int expiryDays, int jobThreshold, Instant ruleFrom, int inviteDays) {}

  public record Commission(BigDecimal sharePercent, String currency, Map<String, BigDecimal> plans) {}

  public record Tier(String name, int min) {}

  public record Credits(Map<String, Integer> perCustomer, List<Tier> tiers) {}

  /**
   * Retention ({@code retention.*}, notifications/MailRelayVerticle): every {@code purgeSeconds} the e-mail outbox's
   * rows that were sent or gave up more than {@code outboxDays} days ago (by when they were written) are deleted, at
   * most {@code batchSize} per statement, batch after batch; pending e-mails are never deleted.
   */
  public record Retention(int outboxDays, int purgeSeconds, int batchSize) {
    static Retention from(JsonObject r) {
      return new Retention(Math.max(1, r.getInteger("outboxDays", 30)), Math.max(1, r.getInteger("purgeSeconds", 3600)),
          Math.max(1, r.getInteger("batchSize", 1000)));
    }
  }

  /** SMTP for invitation emails; {@code host} null means emails are written to the log instead. */
  public record Mail(String host, int port, String from, String username, String password, boolean starttls,
                     Outbox outbox) {}

  /**
   * The e-mail outbox's relay ({@code mail.outbox.*}, notifications/MailRelayVerticle): polled every
   * {@code pollMillis}, at most {@code batchSize} e-mails a batch, each send within {@code sendTimeoutMillis}; a
   * refused send is retried after {@code backoffMillis} doubled per attempt up to {@code maxBackoffMillis}, and marked
   * failed after {@code maxAttempts}; a claimed e-mail whose instance died is claimed again after {@code leaseSeconds}.
   */
  public record Outbox(int pollMillis, int batchSize, int maxAttempts, long backoffMillis, long maxBackoffMillis,
                       int sendTimeoutMillis, int leaseSeconds) {}

  /**
   * Abuse limits ({@code limits.*}). Sign-in: at most {@code signInPerAddress} attempts per e-mail and client
   * address and {@code signInPerEmail} per e-mail (from all addresses) in a {@code signInWindowMinutes} window.
   * Password hashing: {@code hashThreads} at once and {@code hashQueue} more waiting, beyond that 503. Invites:
   * {@code invitesPerHour} new invites and {@code resendsPerHour} resends per partner. {@code socketsPerUser}
   * open WebSockets per user and instance. {@code trustForwardedFor}: take the client address from the last
   * {@code X-Forwarded-For} entry (only behind a proxy that sets it), otherwise from the connection.
   */
  public record Limits(int signInPerAddress, int signInPerEmail, int signInWindowMinutes, int hashThreads,
                       int hashQueue, int invitesPerHour, int resendsPerHour, int socketsPerUser,
                       boolean trustForwardedFor) {}

  /**
   * The expiry sweep: every {@code sweepSeconds}, {@code batchSize} rows per transaction (bounded by the sweep to
   * 1..10,000), {@code pauseMillis} between two batches so other transactions run in between, {@code workers}
   * batches of one process at once (1..4; each takes other rows, {@code SKIP LOCKED}).
   */
  public record Expiry(int sweepSeconds, int batchSize, List<Integer> warningDays, int pauseMillis, int workers) {}

  /**
   * R30 access reviews: every {@code everyDays} per account with a partner with access; partners unused for
   * {@code unusedDays} or more are recommended to disable; after {@code dueDays} an unanswered review lapses and
   * {@code onNoAnswer} ({@code nothing} or {@code disable}) applies to the partners not answered. The timer runs
   * every {@code sweepSeconds}, {@code batchSize} accounts per transaction.
   */
  public record Reviews(int everyDays, int unusedDays, int dueDays, String onNoAnswer, int sweepSeconds,
                        int batchSize) {}

  /**
   * R33: {@code pollMillis} how often the outbox is polled; {@code batchSize} deliveries claimed (and sent in
   * parallel) at a time; {@code maxAttempts} before a delivery is given up ('failed'); the backoff after the n-th
   * failed attempt is {@code backoffBaseMillis * 2^(n-1)}, at most {@code backoffMaxMillis}; {@code timeoutMillis}
   * bounds connecting and the whole request. {@code enabled: false} stops delivering (the outbox still fills).
   */
  public record Webhooks(boolean enabled, int pollMillis, int batchSize, int maxAttempts, long backoffBaseMillis,
                         long backoffMaxMillis, int timeoutMillis) {
    static Webhooks from(JsonObject w) {
      return new Webhooks(w.getBoolean("enabled", true), w.getInteger("pollMillis", 1000),
          w.getInteger("batchSize", 50), w.getInteger("maxAttempts", 10), w.getLong("backoffBaseMillis", 5000L),
          w.getLong("backoffMaxMillis", 3_600_000L), w.getInteger("timeoutMillis", 10_000));
    }
  }

  /** The classpath resource holding the documented defaults; every other source only overrides it. */
  public static final String DEFAULTS_RESOURCE = "default-config.json";

  /** The documented defaults, read from the jar (so the service behaves the same whatever folder it starts in). */
  public static JsonObject defaults() {
    try (InputStream in = AppConfig.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the jar has no " + DEFAULTS_RESOURCE);
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + DEFAULTS_RESOURCE, e);
    }
  }

  public static AppConfig from(JsonObject json) {
    JsonObject http = obj(json, "http");
    JsonObject db = obj(json, "db");
    JsonObject auth = obj(json, "auth");
    JsonObject policy = obj(json, "policy");
    JsonObject commission = obj(json, "commission");
    JsonObject credits = obj(json, "credits");
    JsonObject expiry = obj(json, "expiry");

    int port = intOf(firstNonNull(json.getValue("PORT"), json.getValue("http.port"), http.getValue("port")), 8080);
    int instances = http.getInteger("instances", 0);
    if (instances <= 0) {
      instances = Runtime.getRuntime().availableProcessors();
    }
    List<String> origins = new ArrayList<>();
    http.getJsonArray("allowedOrigins", new JsonArray()).forEach(o -> origins.add(String.valueOf(o)));
    String publicUrl = str(firstNonNull(json.getValue("PUBLIC_URL"), http.getValue("publicUrl")), null);
    if (publicUrl == null || publicUrl.isBlank()) {
      // No public address configured: the service is reached directly on its own port, by either loopback name.
      publicUrl = "http://localhost:" + port;
      origins.add("http://127.0.0.1:" + port);
    }
    String extraOrigins = str(json.getValue("ALLOWED_ORIGINS"), "");
    for (String o : extraOrigins.split(",")) {
      if (!o.isBlank()) {
        origins.add(o.strip());
      }
    }
    // The service's own public address is always an allowed origin for its pages' WebSocket.
    String ownOrigin = publicUrl.replaceAll("^(https?://[^/]+).*$", "$1");
    if (!origins.contains(ownOrigin)) {
      origins.add(ownOrigin);
    }
    Http h = new Http(port, instances, http.getInteger("bodyLimitBytes", 65536), publicUrl, origins,
        http.getLong("wsPingMillis", 20_000L), http.getInteger("maxInFlight", 32),
        http.getLong("requestTimeoutMillis", 10_000L), http.getLong("databaseWaitMillis", 750L),
        http.getInteger("idleTimeoutSeconds", 60),
        http.getLong("headerTimeoutMillis", 10_000L), http.getInteger("maxConnections", 1_000),
        http.getLong("shedHoldMillis", 1_000L), http.getInteger("shedHoldMax", 10_000),
        http.getLong("shedSpreadMillis", 1_000L),
        bool(firstNonNull(json.getValue("http.serverTiming"), http.getValue("serverTiming"))));

    String url = str(firstNonNull(json.getValue("DATABASE_URL"), json.getValue("db.url"), db.getValue("url")), null);
    if (url != null && url.isBlank()) {
      url = null;
    }
    String dataDir = str(firstNonNull(json.getValue("DATA_DIR"), json.getValue("db.dataDir"), db.getValue("dataDir")), "./data");
    Db d = new Db(url, db.getInteger("poolSize", 8), Path.of(dataDir), db.getInteger("embeddedPort", 0),
        db.getInteger("connectTimeoutMillis", 1_000), db.getInteger("acquireTimeoutMillis", 1_000),
        db.getInteger("maxWaitQueue", 256), db.getInteger("statementTimeoutMillis", 5_000));

    String secret = str(firstNonNull(json.getValue("JWT_SECRET"), auth.getValue("secret")), null);
    boolean generated = false;
    if (secret == null || secret.isBlank()) {
      byte[] random = new byte[48];
      new SecureRandom().nextBytes(random);
      secret = Base64.getEncoder().encodeToString(random);
      generated = true;
    }
    Auth a = new Auth(auth.getString("issuer", "partner-access"), auth.getString("audience", "partner-access"),
        auth.getInteger("tokenMinutes", 480), intOf(firstNonNull(json.getValue("BCRYPT_COST"), auth.getValue("bcryptCost")), 12),
        secret, generated);

    String ruleFrom = policy.getString("ruleFrom");
    Policy p = new Policy(policy.getInteger("expiryDays", 60), policy.getInteger("jobThreshold", 100),
        instant("policy.ruleFrom", ruleFrom), policy.getInteger("inviteDays", 14));

    Map<String, BigDecimal> plans = new LinkedHashMap<>();
    commission.getJsonObject("plans", new JsonObject().put("standard", 59.0))
        .forEach(e -> plans.put(e.getKey(), new BigDecimal(String.valueOf(e.getValue()))));
    Commission c = new Commission(new BigDecimal(String.valueOf(commission.getValue("sharePercent", 20))),
        commission.getString("currency", "USD"), plans);

    Map<String, Integer> perCustomer = new LinkedHashMap<>();
    credits.getJsonObject("perCustomer", new JsonObject()).forEach(e -> perCustomer.put(e.getKey(), intOf(e.getValue(), 10)));
    List<Tier> tiers = new ArrayList<>();
    credits.getJsonArray("tiers", new JsonArray().add(new JsonObject().put("name", "Bronze").put("min", 0)))
        .forEach(t -> tiers.add(new Tier(((JsonObject) t).getString("name"), ((JsonObject) t).getInteger("min"))));
    tiers.sort((x, y) -> Integer.compare(x.min(), y.min()));
    Credits cr = new Credits(perCustomer, tiers);

    List<Integer> warnings = new ArrayList<>();
    expiry.getJsonArray("warningDays", new JsonArray().add(14).add(7).add(1)).forEach(w -> warnings.add(intOf(w, 1)));
    Expiry e = new Expiry(expiry.getInteger("sweepSeconds", 60), expiry.getInteger("batchSize", 1000), warnings,
        expiry.getInteger("pauseMillis", 20), expiry.getInteger("workers", 1));

    boolean testClock = bool(firstNonNull(json.getValue("TEST_CLOCK"), json.getValue("testClock")));
    boolean demo = bool(firstNonNull(json.getValue("DEMO"), obj(json, "demo").getValue("enabled")));
    String ops = str(firstNonNull(json.getValue("OPS_TOKEN"), json.getValue("opsToken")), null);

    JsonObject mail = obj(json, "mail");
    String mailHost = str(firstNonNull(json.getValue("SMTP_HOST"), mail.getValue("host")), null);
    Mail m = new Mail(mailHost == null || mailHost.isBlank() ? null : mailHost,
        intOf(firstNonNull(json.getValue("SMTP_PORT"), mail.getValue("port")), 25),
        str(firstNonNull(json.getValue("MAIL_FROM"), mail.getValue("from")), "Partner access <no-reply@localhost>"),
        str(firstNonNull(json.getValue("SMTP_USERNAME"), mail.getValue("username")), null),
        str(json.getValue("SMTP_PASSWORD"), null),
        bool(mail.getValue("starttls")), outbox(obj(mail, "outbox")));

    JsonObject limits = obj(json, "limits");
    int cores = Runtime.getRuntime().availableProcessors();
    int hashThreads = limits.getInteger("hashThreads", 0);
    Limits l = new Limits(limits.getInteger("signInPerAddress", 5), limits.getInteger("signInPerEmail", 50),
        limits.getInteger("signInWindowMinutes", 15), hashThreads > 0 ? hashThreads : Math.max(1, cores / 2),
        limits.getInteger("hashQueue", 16), limits.getInteger("invitesPerHour", 30),
        limits.getInteger("resendsPerHour", 20), limits.getInteger("socketsPerUser", 10),
        bool(firstNonNull(json.getValue("TRUST_FORWARDED_FOR"), limits.getValue("trustForwardedFor"))));

    JsonObject reviews = obj(json, "reviews");
    String onNoAnswer = reviews.getString("onNoAnswer", "nothing");
    if (!"nothing".equals(onNoAnswer) && !"disable".equals(onNoAnswer)) {
      throw new ConfigException("reviews.onNoAnswer must be nothing or disable, not " + onNoAnswer);
    }
    Reviews rv = new Reviews(reviews.getInteger("everyDays", 90), reviews.getInteger("unusedDays", 30),
        reviews.getInteger("dueDays", 14), onNoAnswer, reviews.getInteger("sweepSeconds", 300),
        reviews.getInteger("batchSize", 100));

    return new AppConfig(h, d, a, p, c, cr, json.getJsonObject("touch", new JsonObject()).getLong("flushMillis", 1000L),
        e, testClock, demo, ops == null || ops.isBlank() ? null : ops, m, l, rv, Webhooks.from(obj(json, "webhooks")),
        Retention.from(obj(json, "retention")));
  }

  private static Outbox outbox(JsonObject o) {
    return new Outbox(Math.max(10, o.getInteger("pollMillis", 1000)), Math.max(1, o.getInteger("batchSize", 50)),
        Math.max(1, o.getInteger("maxAttempts", 8)), Math.max(1, o.getLong("backoffMillis", 5_000L)),
        Math.max(1, o.getLong("maxBackoffMillis", 3_600_000L)), Math.max(100, o.getInteger("sendTimeoutMillis", 30_000)),
        Math.max(1, o.getInteger("leaseSeconds", 300)));
  }

  public AppConfig withDatabaseUrl(String url) {
    return new AppConfig(http, new Db(url, db.poolSize(), db.dataDir(), db.embeddedPort(), db.connectTimeoutMillis(),
        db.acquireTimeoutMillis(), db.maxWaitQueue(), db.statementTimeoutMillis()), auth, policy, commission,
        credits, touchFlushMillis, expiry, testClock, demoEnabled, opsToken, mail, limits, reviews, webhooks,
        retention);
  }

  private static Instant instant(String key, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new ConfigException(key + " must be an instant such as 2020-07-01T00:00:00Z (or null), got \"" + text + "\"");
    }
  }

  private static JsonObject obj(JsonObject json, String key) {
    Object v = json.getValue(key);
    return v instanceof JsonObject o ? o : new JsonObject();
  }

  private static Object firstNonNull(Object... values) {
    for (Object v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static String str(Object v, String fallback) {
    return v == null ? fallback : String.valueOf(v);
  }

  private static int intOf(Object v, int fallback) {
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n) {
      return n.intValue();
    }
    return Integer.parseInt(String.valueOf(v).trim());
  }

  private static boolean bool(Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    return "true".equalsIgnoreCase(String.valueOf(v).trim()) || "1".equals(String.valueOf(v).trim());
  }
}
