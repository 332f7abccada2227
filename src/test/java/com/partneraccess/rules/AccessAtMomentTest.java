package com.partneraccess.rules;

import com.partneraccess.rules.RuleFixtures.Connected;
import com.partneraccess.rules.RuleFixtures.StaffUser;
import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.TestApp;
import com.partneraccess.support.TestSql;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static com.partneraccess.rules.RuleFixtures.assertRefused;
import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Who could access the account at a past moment, and who did (R32)")
class AccessAtMomentTest extends RuleTestBase {

  private Reply askAt(String token, String at) {
    return api.get("/api/v1/account/activity/at?at=" + URLEncoder.encode(at, StandardCharsets.UTF_8), token);
  }

  private JsonObject at(Connected c, Instant moment) {
    return expect(askAt(c.customer().token(), moment.toString()), 200).json();
  }

  /** The partner's line at the moment, or null when its connection was not live then. */
  private static JsonObject line(JsonObject answer, String partnerId) {
    List<JsonObject> lines = answer.getJsonArray("partners").stream().map(o -> (JsonObject) o)
        .filter(p -> partnerId.equals(p.getString("partnerId"))).toList();
    assertThat(lines).hasSizeLessThanOrEqualTo(1);
    return lines.isEmpty() ? null : lines.get(0);
  }

  private Instant later(double seconds) {
    fx.advanceSeconds(seconds);
    return Instant.parse(fx.now());
  }

  @Test
  @DisplayName("R32 Could access follows every access change: connected, disabled, approved, disconnected")
  void followsEveryChange() {
    // R32, R7, R16, R19
    Instant before = later(5);
    Connected c = fx.connected("R32 Changes");
    Instant enabled = later(10);
    expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
    Instant disabled = later(10);
    expect(fx.approve(c.customer().token(), fx.requestAccessId(c.partner(), c.accountId())), 200);
    Instant approved = later(10);
    expect(fx.disconnectByCustomer(c.customer(), c.partnerId(), "R32 done"), 200);
    Instant gone = later(10);

    assertThat(line(at(c, before), c.partnerId())).as("not yet connected").isNull();
    JsonObject e = line(at(c, enabled), c.partnerId());
    assertThat(e.getBoolean("couldAccess")).isTrue();
    assertThat(e.getString("state")).isEqualTo("enabled");
    assertThat(e.getString("reason")).isEqualTo("connected (invite)");
    JsonObject d = line(at(c, disabled), c.partnerId());
    assertThat(d.getBoolean("couldAccess")).isFalse();
    assertThat(d.getString("state")).isEqualTo("disabled");
    assertThat(Instant.parse(d.getString("since"))).isBetween(enabled, disabled);
    assertThat(line(at(c, approved), c.partnerId()).getBoolean("couldAccess")).isTrue();
    assertThat(line(at(c, gone), c.partnerId())).as("disconnected").isNull();
    // the same instant written with another offset gives the same answer
    String inPlusFive = disabled.atOffset(ZoneOffset.ofHours(5)).toString();
    assertThat(line(expect(askAt(c.customer().token(), inPlusFive), 200).json(), c.partnerId())
        .getBoolean("couldAccess")).isFalse();
  }

  @Test
  @DisplayName("R32 Expired access counts from its expiry, whether or not a sweep ran; re-enabling is recorded")
  void expiryCountsFromItsMoment() {
    // R32, R11, R14
    Connected c = fx.connected("R32 Expiry");
    expect(api.createJobs(c.customer().token(), 100), 201);
    expect(fx.logIn(c.partner(), c.accountId()), 201);
    Instant loggedIn = Instant.parse(fx.now());
    Instant midway = later(30 * 86_400);
    Instant pastExpiry = later(31 * 86_400);

    // no sweep has run: the connection still says "enabled", but the answer already knows it had expired
    assertThat(line(at(c, midway), c.partnerId()).getBoolean("couldAccess")).isTrue();
    JsonObject expired = line(at(c, pastExpiry), c.partnerId());
    assertThat(expired.getBoolean("couldAccess")).isFalse();
    assertThat(Instant.parse(expired.getString("expiredAt")))
        .isBetween(loggedIn.plus(Duration.ofDays(60)).minusSeconds(5), loggedIn.plus(Duration.ofDays(60)).plusSeconds(1));

    // the owner re-enables without any sweep having run: the expiry is recorded at its own moment first
    expect(api.setAccess(c.customer(), c.partnerId(), true), 200);
    Instant reenabled = later(10);
    assertThat(line(at(c, pastExpiry), c.partnerId()).getBoolean("couldAccess")).isFalse();
    assertThat(line(at(c, pastExpiry), c.partnerId()).getString("state")).isEqualTo("expired");
    assertThat(line(at(c, midway), c.partnerId()).getBoolean("couldAccess")).isTrue();
    assertThat(line(at(c, reenabled), c.partnerId()).getBoolean("couldAccess")).isTrue();

    try (TestSql sql = new TestSql(app.databaseUrl)) {
      assertThat(sql.query("SELECT state FROM access_history h JOIN connections c ON c.id = h.connection_id "
              + "WHERE c.account_id = $1::uuid ORDER BY h.from_at, h.id", c.accountId()).size()).isEqualTo(3);
    }
  }

  @Test
  @DisplayName("R32 The sweep records an expiry at the expiry itself, not at the time it ran")
  void sweptExpiryIsDatedAtTheExpiry() {
    // R32, R14
    Connected c = fx.connected("R32 Swept");
    expect(api.createJobs(c.customer().token(), 100), 201);
    Instant loggingIn = Instant.parse(fx.now());
    expect(fx.logIn(c.partner(), c.accountId()), 201);
    Instant justAfter = Instant.parse(fx.now()).plus(Duration.ofDays(60)).plusSeconds(60);
    // the log-in's access is flushed in the background (touch.flushMillis): wait for it, so the flush's row lock
    // cannot meet the sweep below (the sweep skips a locked row, FOR UPDATE SKIP LOCKED, until its next round)
    try (TestSql sql = new TestSql(app.databaseUrl)) {
      org.awaitility.Awaitility.await("the log-in's access flushed").atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> sql.count("SELECT count(*) FROM connections WHERE account_id = $1::uuid"
              + " AND last_accessed_at >= $2::timestamptz", c.accountId(), loggingIn.atOffset(ZoneOffset.UTC)) == 1);
    }
    later(75 * 86_400);
    expect(fx.send("POST", "/api/v1/ops/expiry/sweep", Map.of("X-Ops-Token", TestApp.OPS_TOKEN), null), 200);
    JsonObject then = line(at(c, justAfter), c.partnerId());
    assertThat(then.getBoolean("couldAccess")).isFalse();
    assertThat(then.getString("state")).isEqualTo("expired");
    assertThat(Instant.parse(then.getString("since"))).isBefore(justAfter);
  }

  @Test
  @DisplayName("R32 Who did: partner log-ins within the hour of the moment, and each partner's last use before it")
  void whoDid() {
    // R32, R23
    Connected c = fx.connected("R32 Did");
    Instant start = later(5);
    expect(fx.logIn(c.partner(), c.accountId()), 201);
    Instant loggedIn = Instant.parse(fx.now());
    Instant halfHourLater = later(30 * 60);
    Instant threeHoursLater = later(150 * 60);

    JsonObject near = at(c, halfHourLater);
    assertThat(near.getJsonArray("activity")).hasSize(1);
    JsonObject login = near.getJsonArray("activity").getJsonObject(0);
    assertThat(login.getString("kind")).isEqualTo("partner.login");
    assertThat(login.getString("partner")).isEqualTo("R32 Did Partners");
    assertThat(Instant.parse(line(near, c.partnerId()).getString("lastUseBefore")))
        .isBetween(start, loggedIn.plusMillis(1));

    JsonObject far = at(c, threeHoursLater);
    assertThat(far.getJsonArray("activity")).isEmpty();
    assertThat(line(far, c.partnerId()).getString("lastUseBefore")).isNotNull();
    assertThat(line(at(c, start), c.partnerId()).getString("lastUseBefore")).as("nothing before the log-in").isNull();
    // a wider window reaches the log-in again
    Reply wide = expect(api.get("/api/v1/account/activity/at?windowMinutes=240&at="
        + URLEncoder.encode(threeHoursLater.toString(), StandardCharsets.UTF_8), c.customer().token()), 200);
    assertThat(wide.json().getJsonArray("activity")).hasSize(1);
  }

  @Test
  @DisplayName("R32 Bad moments get a 400 with a reason: no offset, nonsense, the future")
  void badMoments() {
    // R32
    Connected c = fx.connected("R32 Bad");
    String token = c.customer().token();
    assertThat(expect(askAt(token, "2026-03-03T10:00"), 400).json().getString("detail")).contains("offset");
    expect(askAt(token, "yesterday"), 400);
    assertThat(expect(askAt(token, Instant.parse(fx.now()).plus(Duration.ofDays(1)).toString()), 400).json()
        .getString("detail")).contains("future");
    assertRefused(askAt(token, "2026-13-45T10:00:00Z"), 400, "VALIDATION_FAILED");
    assertThat(expect(api.get("/api/v1/account/activity/at", token), 200).json().getJsonArray("partners"))
        .as("no moment means now").hasSize(1);
  }

  @Test
  @DisplayName("R32 Only the owner asks: admins, staff and the partner itself are refused")
  void ownerOnly() {
    // R32, R9
    Connected c = fx.connected("R32 Owner");
    String moment = fx.now();
    StaffUser admin = fx.staff(c.customer(), "admin");
    assertRefused(askAt(admin.token(), moment), 403, "OWNER_ONLY");
    String session = api.session(c.partner(), c.accountId());
    assertThat(askAt(session, moment).status()).isEqualTo(403);
    assertRefused(api.get("/api/v1/account/activity/export?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z",
        admin.token()), 403, "OWNER_ONLY");
  }
}
