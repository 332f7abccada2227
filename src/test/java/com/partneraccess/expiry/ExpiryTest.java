package com.partneraccess.expiry;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.TestApp;
import com.partneraccess.support.TestSql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The 60-day rule over time: the expiry sweep and the warnings before expiry")
class ExpiryTest {
  static TestApp app;
  static ApiClient api;
  static TestSql sql;

  @BeforeAll
  static void start() {
    // The timer stays out of the way: each test runs the sweep when it wants, through the operator API.
    app = TestApp.start(new JsonObject().put("expiry", new JsonObject().put("sweepSeconds", 3600)));
    api = app.api();
    sql = new TestSql(app.databaseUrl);
  }

  @AfterAll
  static void stop() {
    sql.close();
    app.close();
  }

  record Pair(PartnerUser partner, Customer customer) {}

  static Pair connected(String name) {
    PartnerUser partner = api.signUpPartner(name + " Partners");
    Customer customer = api.signUpCustomer(name + " Ltd", null);
    api.connectByInvite(partner, customer);
    return new Pair(partner, customer);
  }

  static JsonObject sweep() {
    ApiClient.Reply r = api.call("POST", "/api/v1/ops/expiry/sweep", null, null);
    assertThat(r.status()).as("sweep without the ops token").isEqualTo(401);
    java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.baseUrl()
            + "/api/v1/ops/expiry/sweep")).header("X-Ops-Token", TestApp.OPS_TOKEN)
        .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();
    try {
      var res = java.net.http.HttpClient.newHttpClient().send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      return new JsonObject(res.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String storedAccess(Pair p) {
    return sql.string("SELECT access FROM connections WHERE account_id = $1 AND partner_id = $2 AND disconnected_at IS NULL",
        UUID.fromString(p.customer().accountId()), UUID.fromString(p.partner().partnerId()));
  }

  static List<JsonObject> partnerBanners(Pair p, String kind) {
    JsonArray all = ApiClient.expect(api.get("/api/v1/partner/banners", p.partner().token()), 200).array("banners");
    List<JsonObject> out = new ArrayList<>();
    all.forEach(o -> {
      JsonObject b = (JsonObject) o;
      if (kind.equals(b.getString("kind")) && p.customer().accountId().equals(b.getString("accountId"))) {
        out.add(b);
      }
    });
    return out;
  }

  static void eventually(BooleanSupplier condition, String what) {
    org.awaitility.Awaitility.await(what).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
        .until(condition::getAsBoolean);
  }


  static String expiresAt(Pair p) {
    return api.customerOf(p.partner(), p.customer().accountId()).getString("expiresAt");
  }

  @Test
  @DisplayName("R12: with 99 jobs the clock never starts: 200 days later access still works and no sweep expires it")
  void ninetyNineJobsNeverExpire() {
    // R12
    Pair p = connected("NinetyNine");
    ApiClient.expect(api.createJobs(p.customer().token(), 99), 201);
    api.advanceClock(200);
    sweep();
    assertThat(storedAccess(p)).isEqualTo("enabled");
    assertThat(api.customerOf(p.partner(), p.customer().accountId()).getBoolean("expiryClockStarted")).isFalse();
    String session = api.session(p.partner(), p.customer().accountId());
    assertThat(api.get("/api/v1/account", session).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("R12, R14, R11, R23, R17: the 100th job starts the clock; 60 days without access are refused before any "
      + "sweep, and the sweep stores 'expired' with a history row and a partner banner, exactly once")
  void hundredthJobStartsTheClock() {
    // R12: the 100th job starts the clock
    Pair p = connected("Hundred");
    ApiClient.expect(api.createJobs(p.customer().token(), 99), 201);
    assertThat(expiresAt(p)).isNull();
    ApiClient.expect(api.createJobs(p.customer().token(), 1), 201);
    assertThat(expiresAt(p)).isNotNull();
    String session = api.session(p.partner(), p.customer().accountId());
    eventually(() -> Instant.parse(expiresAt(p)).isAfter(app.clock.now().plus(Duration.ofDays(59))), "the touch");

    api.advanceClock(60.001);
    // R14: refused on the next access even though no sweep has run
    ApiClient.Reply refused = api.get("/api/v1/account", session);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.reason()).isEqualTo("ACCESS_EXPIRED");
    assertThat(storedAccess(p)).isEqualTo("enabled");

    JsonObject first = sweep();
    assertThat(first.getInteger("expired")).isGreaterThanOrEqualTo(1);
    assertThat(storedAccess(p)).isEqualTo("expired");
    sweep();
    // R23: one history row; R17: one partner banner
    JsonArray activity = ApiClient.expect(api.get("/api/v1/account/activity", p.customer().token()), 200)
        .array("activity");
    long expiredRows = activity.stream().filter(o -> "access.expired".equals(((JsonObject) o).getString("kind"))).count();
    assertThat(expiredRows).isEqualTo(1);
    assertThat(partnerBanners(p, "access_expired")).hasSize(1);
    assertThat(api.customerOf(p.partner(), p.customer().accountId()).getString("access")).isEqualTo("expired");
  }

  @Test
  @DisplayName("R11: an access on day 59 restarts the 60 days")
  void accessOnDay59Restarts() {
    // R11
    Pair p = connected("DayFiftyNine");
    ApiClient.expect(api.createJobs(p.customer().token(), 100), 201);
    api.advanceClock(59);
    String session = api.session(p.partner(), p.customer().accountId());
    assertThat(api.get("/api/v1/account", session).status()).isEqualTo(200);
    eventually(() -> Instant.parse(expiresAt(p)).isAfter(app.clock.now().plus(Duration.ofDays(59))), "the touch");

    api.advanceClock(59);
    sweep();
    assertThat(storedAccess(p)).isEqualTo("enabled");
    assertThat(api.customerOf(p.partner(), p.customer().accountId()).getInteger("daysUntilExpiry")).isEqualTo(1);

    api.advanceClock(1.01);
    assertThat(api.get("/api/v1/account", session).reason()).isEqualTo("ACCESS_EXPIRED");
    sweep();
    assertThat(storedAccess(p)).isEqualTo("expired");
  }

  @Test
  @DisplayName("R13: switched on for one account from a moment, the rule leaves the partner 60 days from that moment "
      + "even though its last access was longer ago")
  void perAccountStart() {
    // R13
    Pair p = connected("PerAccount");
    ApiClient.expect(api.createJobs(p.customer().token(), 100), 201);
    api.advanceClock(50);
    Instant from = app.clock.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    switchRuleOn(p, from);
    sweep();
    assertThat(storedAccess(p)).isEqualTo("enabled");
    assertThat(Instant.parse(expiresAt(p))).isEqualTo(from.plus(Duration.ofDays(60)));

    api.advanceClock(60.01);
    sweep();
    assertThat(storedAccess(p)).isEqualTo("expired");
  }

  @Test
  @DisplayName("R13 R14: an expiry that has passed stays passed: switching the rule on from now does not let an "
      + "expired partner back in, whether or not a sweep marked it expired before")
  void switchDoesNotReviveAnExpiredPartner() {
    // R13, R14
    for (boolean sweptBefore : new boolean[] {false, true}) {
      Pair p = connected("Revive " + sweptBefore);
      ApiClient.expect(api.createJobs(p.customer().token(), 100), 201);
      String session = api.session(p.partner(), p.customer().accountId());
      // the session's access is stored by the touch flush (within touch.flushMillis): wait for it, so the expiry
      // read below is the one derived from that access, not the one before it
      eventually(() -> sql.string("SELECT last_accessed_at::text FROM connections WHERE account_id = $1 AND partner_id = $2"
          + " AND disconnected_at IS NULL", UUID.fromString(p.customer().accountId()),
          UUID.fromString(p.partner().partnerId())) != null, "the session's access to be stored");
      api.advanceClock(90);
      if (sweptBefore) {
        sweep();
      }
      String expiredAt = expiresAt(p);
      switchRuleOn(p, app.clock.now());
      assertThat(storedAccess(p)).as("swept before: %s", sweptBefore).isEqualTo("expired");
      assertThat(expiresAt(p)).as("the expiry shown stays the one that passed").isEqualTo(expiredAt);
      assertThat(api.get("/api/v1/account", session).reason()).isEqualTo("ACCESS_EXPIRED");
      assertThat(api.post("/api/v1/partner/customers/" + p.customer().accountId() + "/sessions",
          p.partner().token(), null).reason()).isEqualTo("ACCESS_EXPIRED");
    }
  }

  /** R13: the operator switches the rule on for the pair's account from {@code from}. */
  private void switchRuleOn(Pair p, Instant from) {
    ApiClient.Reply r = api.send("PUT", "/api/v1/ops/accounts/" + p.customer().accountId() + "/expiry-rule",
        java.util.Map.of("X-Ops-Token", TestApp.OPS_TOKEN, "Content-Type", "application/json"),
        new JsonObject().put("activeFrom", from.toString()).encode());
    ApiClient.expect(r, 200);
  }

  @Test
  @DisplayName("Expiry warnings reach the partner at 14, 7 and 1 days before expiry, each exactly once; an access "
      + "restarts the period and its warnings (R11, R15)")
  void warningsOncePerThreshold() {
    Pair p = connected("Warned");
    ApiClient.expect(api.createJobs(p.customer().token(), 100), 201);

    api.advanceClock(46.01);
    sweep();
    sweep();
    assertThat(partnerBanners(p, "expiry_warning")).extracting(b -> b.getString("message"))
        .containsExactly("Your access to Warned Ltd expires in 14 days: log in to keep it");

    api.advanceClock(7);
    sweep();
    sweep();
    api.advanceClock(6);
    sweep();
    sweep();
    List<String> messages = partnerBanners(p, "expiry_warning").stream().map(b -> b.getString("message")).toList();
    assertThat(messages).containsExactlyInAnyOrder(
        "Your access to Warned Ltd expires in 14 days: log in to keep it",
        "Your access to Warned Ltd expires in 7 days: log in to keep it",
        "Your access to Warned Ltd expires in 1 day: log in to keep it");
    assertThat(sql.count("SELECT count(*) FROM banners WHERE kind = 'expiry_warning' AND account_id = $1",
        UUID.fromString(p.customer().accountId()))).isEqualTo(3);

    // R11: an access starts a new expiry period, and the warnings with it
    api.session(p.partner(), p.customer().accountId());
    eventually(() -> Instant.parse(expiresAt(p)).isAfter(app.clock.now().plus(Duration.ofDays(59))), "the touch");
    api.advanceClock(46.01);
    sweep();
    sweep();
    assertThat(sql.count("SELECT count(*) FROM banners WHERE kind = 'expiry_warning' AND account_id = $1 "
        + "AND message LIKE '%14 days%'", UUID.fromString(p.customer().accountId()))).isEqualTo(2);
  }

  @Test
  @DisplayName("R15: re-enabling restarts the 60 days and the warnings")
  void reEnablingRestarts() {
    // R15
    Pair p = connected("Reenabled");
    ApiClient.expect(api.createJobs(p.customer().token(), 100), 201);
    api.advanceClock(50);
    sweep();
    assertThat(partnerBanners(p, "expiry_warning")).hasSize(1);
    ApiClient.expect(api.setAccess(p.customer(), p.partner().partnerId(), false), 200);
    ApiClient.expect(api.setAccess(p.customer(), p.partner().partnerId(), true), 200);
    assertThat(api.customerOf(p.partner(), p.customer().accountId()).getInteger("daysUntilExpiry")).isEqualTo(60);
    api.advanceClock(47);
    sweep();
    assertThat(partnerBanners(p, "expiry_warning")).hasSize(2);
    assertThat(storedAccess(p)).isEqualTo("enabled");
  }
}
