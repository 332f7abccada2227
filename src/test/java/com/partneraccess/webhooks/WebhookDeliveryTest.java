package com.partneraccess.webhooks;

import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.rules.RuleFixtures;
import com.partneraccess.rules.RuleFixtures.Connected;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.TestApp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DisplayName("Signed webhooks from the outbox (R33)")
class WebhookDeliveryTest {
  /** Enough for the down phase to end before the cap on a busy test machine (about 10 s of attempts). */
  static final int MAX_ATTEMPTS = 40;
  static TestApp app;
  static ApiClient api;
  static RuleFixtures fx;
  static Vertx receiverVertx;
  static HttpServer receiver;
  /** What each receiver path got, in arrival order. */
  static final Map<String, List<Received>> got = new ConcurrentHashMap<>();
  /** How each path answers: a status, or 0 to close the connection without an answer. */
  static final Map<String, Integer> answer = new ConcurrentHashMap<>();

  record Received(Map<String, String> headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  @BeforeAll
  static void start() {
    receiverVertx = Vertx.vertx();
    receiver = receiverVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      Map<String, String> headers = new LinkedHashMap<>();
      req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      got.computeIfAbsent(req.path(), p -> new CopyOnWriteArrayList<>()).add(new Received(headers, body.toString()));
      int status = answer.getOrDefault(req.path(), 200);
      if (status == 0) {
        req.connection().close();
      } else {
        req.response().setStatusCode(status).end("thanks");
      }
    })).listen(0).await();
    app = TestApp.start(RuleFixtures.productConfig().put("webhooks", new JsonObject().put("pollMillis", 100)
        .put("batchSize", 10).put("maxAttempts", MAX_ATTEMPTS).put("backoffBaseMillis", 50).put("backoffMaxMillis", 250)
        .put("timeoutMillis", 2000)));
    api = app.api();
    fx = new RuleFixtures(app);
  }

  @AfterAll
  static void stop() {
    app.close();
    receiverVertx.close().await();
  }

  static String url(String path) {
    return "http://localhost:" + receiver.actualPort() + path;
  }

  static Reply ops(String method, String path, JsonObject body) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("X-Ops-Token", TestApp.OPS_TOKEN);
    if (body != null) {
      h.put("Content-Type", "application/json");
    }
    return fx.send(method, "/api/v1/ops" + path, h, body == null ? null : body.encode());
  }

  static JsonObject subscribe(String path, String... events) {
    JsonArray kinds = new JsonArray();
    for (String e : events.length == 0 ? WebhookKind.names().toArray(String[]::new) : events) {
      kinds.add(e);
    }
    return expect(ops("POST", "/webhooks", new JsonObject().put("url", url(path)).put("events", kinds)), 201).json();
  }

  static void deactivate(JsonObject sub) {
    expect(ops("PUT", "/webhooks/" + sub.getString("id"), new JsonObject().put("active", false)), 200);
  }

  static List<JsonObject> deliveries(JsonObject sub) {
    JsonArray a = expect(ops("GET", "/webhooks/" + sub.getString("id") + "/deliveries?limit=200", null), 200)
        .json().getJsonArray("deliveries");
    List<JsonObject> out = new ArrayList<>();
    a.forEach(o -> out.add((JsonObject) o));
    return out;
  }

  static List<Received> received(String path) {
    return got.getOrDefault(path, List.of());
  }

  static String hmac(String secret, String timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  @DisplayName("R33 A committed change is delivered, signed over timestamp and body with the secret shown once")
  void committedChangeIsDeliveredSigned() throws Exception {
    // R33
    JsonObject sub = subscribe("/signed", "connection.created", "access.disabled");
    String secret = sub.getString("secret");
    assertThat(secret).startsWith("whsec_");
    JsonArray listed = expect(ops("GET", "/webhooks", null), 200).json().getJsonArray("webhooks");
    assertThat(listed.encode()).contains(sub.getString("id")).doesNotContain(secret);

    Connected c = fx.connected("R33 Signed");
    expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
    await().atMost(Duration.ofSeconds(20)).until(() -> received("/signed").size() >= 2);
    Received created = received("/signed").get(0);
    JsonObject event = created.json();
    assertThat(event.getString("type")).isEqualTo("connection.created");
    assertThat(event.getJsonObject("data").getString("accountId")).isEqualTo(c.accountId());
    assertThat(event.getJsonObject("data").getString("partner")).isEqualTo("R33 Signed Partners");
    assertThat(event.getJsonObject("data").getString("origin")).isEqualTo("invite");
    String ts = created.headers().get("x-webhook-timestamp");
    assertThat(Math.abs(Long.parseLong(ts) - app.clock.now().getEpochSecond())).isLessThan(60);
    assertThat(created.headers().get("x-webhook-signature")).isEqualTo(hmac(secret, ts, created.body()));
    assertThat(created.headers().get("x-webhook-signature")).isNotEqualTo(hmac("whsec_other", ts, created.body()));
    assertThat(created.headers().get("x-webhook-event")).isEqualTo("connection.created");
    assertThat(received("/signed").get(1).json().getString("type")).isEqualTo("access.disabled");
    await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(sub).stream()
        .allMatch(d -> "delivered".equals(d.getString("status")) && d.getInteger("lastStatus") == 200));
    deactivate(sub);
  }

  @Test
  @DisplayName("R33 A change that rolls back sends nothing; the one committed after it is delivered")
  void rolledBackChangeSendsNothing() {
    // R33
    JsonObject sub = subscribe("/rollback", "access.enabled");
    UUID rolledBack = UUID.randomUUID();
    UUID committed = UUID.randomUUID();
    Vertx vertx = Vertx.vertx();
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(DatabaseUrl.parse(app.databaseUrl).connectOptions()).using(vertx).build();
    try {
      OffsetDateTime now = OffsetDateTime.ofInstant(app.clock.now(), ZoneOffset.UTC);
      Future<Void> failed = pool.withTransaction(tx -> WebhookOutbox.record(tx, WebhookKind.ACCESS_ENABLED,
          rolledBack, UUID.randomUUID(), UUID.randomUUID(), null, now).compose(v -> Future.failedFuture("the change failed")));
      assertThat(failed.transform(ar -> Future.succeededFuture(ar.failed())).await()).isTrue();
      pool.withTransaction(tx -> WebhookOutbox.record(tx, WebhookKind.ACCESS_ENABLED, committed, UUID.randomUUID(),
          UUID.randomUUID(), null, now)).await();
    } finally {
      vertx.close().await();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> received("/rollback").size() >= 1);
    assertThat(received("/rollback")).hasSize(1);
    assertThat(received("/rollback").get(0).json().getJsonObject("data").getString("connectionId"))
        .isEqualTo(committed.toString());
    assertThat(deliveries(sub)).hasSize(1);
    deactivate(sub);
  }

  @Test
  @DisplayName("R33 A receiver that answers 503, then drops connections, gets every event afterwards, in order per connection")
  void downReceiverGetsEverythingInOrder() {
    // R33
    String path = "/down";
    answer.put(path, 503);
    // connected first (slow sign-ups), so the down phase is all within the cap on attempts
    Connected a = fx.connected("R33 Down A");
    Connected b = fx.connected("R33 Down B");
    JsonObject sub = subscribe(path);
    expect(api.setAccess(a.customer(), a.partnerId(), false), 200);
    expect(api.setAccess(b.customer(), b.partnerId(), false), 200);
    expect(fx.approve(a.customer().token(), fx.requestAccessId(a.partner(), a.accountId())), 200);
    expect(fx.disconnectByCustomer(b.customer(), b.partnerId(), "R33 gone"), 200);
    // failing: 503 twice, then no answer at all twice; nothing later of a connection is tried meanwhile
    await().atMost(Duration.ofSeconds(20)).until(() -> received(path).size() >= 4);
    answer.put(path, 0);
    int before = received(path).size();
    await().atMost(Duration.ofSeconds(20)).until(() -> received(path).size() >= before + 2);
    List<String> firstKinds = received(path).stream().map(r -> r.json().getString("type")).distinct().toList();
    assertThat(firstKinds).containsOnly("access.disabled");
    answer.put(path, 200);

    Map<String, List<String>> expected = Map.of(
        a.accountId(), List.of("access.disabled", "request.raised", "request.decided", "access.enabled"),
        b.accountId(), List.of("access.disabled", "connection.disconnected"));
    await().atMost(Duration.ofSeconds(30)).until(() -> deliveries(sub).stream()
        .allMatch(d -> "delivered".equals(d.getString("status"))) && deliveries(sub).size() == 6);
    Map<String, List<String>> seen = new LinkedHashMap<>();
    Map<String, Long> lastId = new LinkedHashMap<>();
    for (Received r : received(path)) {
      JsonObject e = r.json();
      String account = e.getJsonObject("data").getString("accountId");
      long id = e.getLong("id");
      Long last = lastId.get(account);
      if (last != null && id == last) {
        continue; // at least once: a repeat of the same event is allowed
      }
      assertThat(last == null || id > last).as("event %s after %s of the same connection", id, last).isTrue();
      lastId.put(account, id);
      seen.computeIfAbsent(account, k -> new ArrayList<>()).add(e.getString("type"));
    }
    assertThat(seen).isEqualTo(expected);
    // the log kept the failures
    JsonObject first = deliveries(sub).stream().min((x, y) -> Long.compare(x.getLong("id"), y.getLong("id"))).orElseThrow();
    JsonObject detail = expect(ops("GET", "/webhooks/deliveries/" + first.getLong("id"), null), 200).json();
    List<JsonObject> log = detail.getJsonArray("log").stream().map(o -> (JsonObject) o).toList();
    assertThat(log).anySatisfy(x -> assertThat(x.getInteger("statusCode")).isEqualTo(503));
    assertThat(log).anySatisfy(x -> {
      assertThat(x.getInteger("statusCode")).isNull();
      assertThat(x.getString("error")).isNotBlank();
    });
    assertThat(log.get(0).getInteger("statusCode")).isEqualTo(200);
    deactivate(sub);
  }

  @Test
  @DisplayName("R33 After the cap on attempts a delivery fails with its log; redeliver sends it once the receiver is back")
  void giveUpThenRedeliver() {
    // R33
    String path = "/gives-up";
    answer.put(path, 500);
    JsonObject sub = subscribe(path, "connection.created");
    Connected c = fx.connected("R33 Gives up");
    await().atMost(Duration.ofSeconds(60)).until(() -> deliveries(sub).stream()
        .anyMatch(d -> "failed".equals(d.getString("status"))));
    JsonObject failed = deliveries(sub).get(0);
    assertThat(failed.getInteger("attempts")).isEqualTo(MAX_ATTEMPTS);
    assertThat(failed.getInteger("lastStatus")).isEqualTo(500);
    assertThat(failed.getString("lastError")).isEqualTo("HTTP 500");
    JsonObject detail = expect(ops("GET", "/webhooks/deliveries/" + failed.getLong("id"), null), 200).json();
    assertThat(detail.getJsonArray("log")).hasSize(MAX_ATTEMPTS);
    assertThat(received(path)).hasSize(MAX_ATTEMPTS);

    answer.put(path, 204);
    JsonObject again = expect(ops("POST", "/webhooks/deliveries/" + failed.getLong("id") + "/redeliver", null), 200).json();
    assertThat(again.getString("status")).isEqualTo("pending");
    await().atMost(Duration.ofSeconds(20)).until(() -> "delivered".equals(deliveries(sub).get(0).getString("status")));
    assertThat(received(path)).hasSize(MAX_ATTEMPTS + 1);
    assertThat(received(path).get(MAX_ATTEMPTS).json().getJsonObject("data").getString("accountId")).isEqualTo(c.accountId());
    expect(ops("POST", "/webhooks/deliveries/999999999/redeliver", null), 404);
    deactivate(sub);
  }

  @Test
  @DisplayName("R33 Only the operator manages webhooks, and bad subscriptions get a 400 with a reason")
  void operatorOnlyAndValidated() {
    // R33
    Reply anonymous = fx.send("POST", "/api/v1/ops/webhooks", Map.of("Content-Type", "application/json"),
        new JsonObject().put("url", url("/x")).put("events", new JsonArray().add("access.enabled")).encode());
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(fx.send("GET", "/api/v1/ops/webhooks", Map.of("X-Ops-Token", "wrong"), null).status()).isEqualTo(401);
    expect(ops("POST", "/webhooks", new JsonObject().put("url", "ftp://example.test/x")
        .put("events", new JsonArray().add("access.enabled"))), 400);
    expect(ops("POST", "/webhooks", new JsonObject().put("url", url("/x")).put("events", new JsonArray())), 400);
    expect(ops("PUT", "/webhooks/" + UUID.randomUUID(), new JsonObject().put("active", false)), 404);
  }
}
