package com.partneraccess.rules;

import com.partneraccess.rules.RuleFixtures.Connected;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.TestApp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Predicate;

import static com.partneraccess.rules.RuleFixtures.assertRefused;
import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@DisplayName("The 60-day rule (R11-R15)")
class ExpiryRulesTest extends RuleTestBase {
  static final Duration SIXTY_DAYS = Duration.ofDays(60);
  static final double DAY_SECONDS = 86_400;
  /** With the rule on for everyone from 2100-01-01, a partner keeps access until 60 days after that (R13). */
  static final String GLOBAL_EXPIRY = "2100-03-02T00:00:00Z";


  /** A connected partner whose account already has 100 jobs (created by the owner, so no partner access). */
  private Connected withClockRunning(String name) {
    Connected c = fx.connected(name);
    expect(api.createJobs(c.customer().token(), 100), 201);
    return c;
  }

  private static Instant instant(String iso) {
    return Instant.parse(iso);
  }

  /** PostgreSQL keeps microseconds, the clock has nanoseconds: instants read back are equal to the microsecond. */
  private static void assertSameInstant(String actual, Instant expected) {
    assertThat(instant(actual)).isCloseTo(expected, within(1, ChronoUnit.MILLIS));
  }

  /** Waits (briefly) until the customers page shows a line that matches: touches are flushed every 200 ms. */
  private JsonObject awaitLine(Connected c, Predicate<JsonObject> ready) {
    // as before: the line once it matches, or the last one read after 5 s (the caller's assertion says what is wrong)
    try {
      return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
          .until(() -> api.customerOf(c.partner(), c.accountId()), ready::test);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      return api.customerOf(c.partner(), c.accountId());
    }
  }


  // ---- R11 ------------------------------------------------------------------------------------

  @Test
  @DisplayName("R11 Partner access expires 60 days after the last access, refused with ACCESS_EXPIRED")
  void expiresSixtyDaysAfterLastAccess() {
    // R11
    Connected c = withClockRunning("R11 Expire");
    Reply login = expect(fx.logIn(c.partner(), c.accountId()), 201);
    String session = login.json().getString("token");
    Instant lastAccess = instant(fx.now());
    assertThat(instant(login.json().getString("accessExpiresAt"))).isBetween(lastAccess.plus(SIXTY_DAYS).minusSeconds(5),
        lastAccess.plus(SIXTY_DAYS));
    JsonObject line = awaitLine(c, l -> l.getString("lastAccessedAt") != null);
    assertSameInstant(line.getString("expiresAt"), instant(login.json().getString("accessExpiresAt")));
    assertThat(line.getInteger("daysUntilExpiry")).isEqualTo(60);

    api.advanceClock(60);
    api.advanceClock(1.0 / DAY_SECONDS);
    assertRefused(api.get("/api/v1/account/jobs", session), 403, "ACCESS_EXPIRED");
    assertRefused(fx.logIn(c.partner(), c.accountId()), 403, "ACCESS_EXPIRED");
    assertThat(api.customerOf(c.partner(), c.accountId()).getString("access")).isEqualTo("expired");
  }

  @Test
  @DisplayName("R11 Every access restarts the 60 days: requests on day 59 keep the partner in for months")
  void everyAccessRestarts() {
    // R11
    Connected c = withClockRunning("R11 Restart");
    String session = api.session(c.partner(), c.accountId());
    for (int i = 0; i < 3; i++) {
      api.advanceClock(59);
      // no wait for the touch flush: the check counts unflushed touches too
      expect(api.get("/api/v1/account/jobs", session), 200);
    }
    api.advanceClock(59);
    expect(fx.logIn(c.partner(), c.accountId()), 201);
    api.advanceClock(60);
    api.advanceClock(1.0 / DAY_SECONDS);
    assertRefused(api.get("/api/v1/account", session), 403, "ACCESS_EXPIRED");
  }

  @Test
  @DisplayName("R11 A request one minute before the 60 days is still allowed")
  void justBeforeExpiry() {
    // R11
    Connected c = withClockRunning("R11 Edge");
    String session = api.session(c.partner(), c.accountId());
    fx.advanceSeconds(60 * DAY_SECONDS - 60);
    expect(api.get("/api/v1/account", session), 200);
  }

  // ---- R12 ------------------------------------------------------------------------------------

  @Test
  @DisplayName("R12 With 99 jobs access never expires, and the Customers page says the clock has not started")
  void ninetyNineJobsNeverExpire() {
    // R12
    Connected c = fx.connected("R12 Ninety-nine");
    expect(api.createJobs(c.customer().token(), 99), 201);
    String session = api.session(c.partner(), c.accountId());
    api.advanceClock(400);
    expect(api.get("/api/v1/account/jobs", session), 200);
    JsonObject line = api.customerOf(c.partner(), c.accountId());
    assertThat(line.getString("access")).isEqualTo("enabled");
    assertThat(line.getBoolean("expiryClockStarted")).isFalse();
    assertThat(line.getInteger("jobCount")).isEqualTo(99);
    assertThat(line.getInteger("jobThreshold")).isEqualTo(100);
    assertThat(line.getString("expiresAt")).isNull();
    assertThat(line.getInteger("daysUntilExpiry")).isNull();
  }

  @Test
  @DisplayName("R12 The 100th job starts the clock: 60 days later (without access) the partner is expired")
  void hundredthJobStartsTheClock() {
    // R12
    Connected c = fx.connected("R12 Hundredth");
    expect(api.createJobs(c.customer().token(), 99), 201);
    String session = api.session(c.partner(), c.accountId());
    api.advanceClock(300);
    Reply hundredth = expect(api.createJobs(c.customer().token(), 1), 201);
    Instant reached = instant(hundredth.json().getString("jobThresholdReachedAt"));
    JsonObject line = api.customerOf(c.partner(), c.accountId());
    assertThat(line.getBoolean("expiryClockStarted")).isTrue();
    assertSameInstant(line.getString("expiresAt"), reached.plus(SIXTY_DAYS));
    assertThat(line.getInteger("daysUntilExpiry")).isEqualTo(60);

    api.advanceClock(60);
    api.advanceClock(1.0 / DAY_SECONDS);
    assertRefused(api.get("/api/v1/account/jobs", session), 403, "ACCESS_EXPIRED");
  }

  @Test
  @DisplayName("R12 Once the clock runs, expiry is 60 days after the later of the last access and the 100th job")
  void laterOfAccessAndHundredthJob() {
    // R12, R11
    Connected c = withClockRunning("R12 Later");
    api.advanceClock(30);
    Reply login = expect(fx.logIn(c.partner(), c.accountId()), 201);
    Instant expected = instant(login.json().getString("accessExpiresAt"));
    JsonObject line = awaitLine(c, l -> instant(l.getString("expiresAt")).isAfter(expected.minusSeconds(1)));
    assertSameInstant(line.getString("expiresAt"), expected);
    api.advanceClock(59);
    assertThat(api.customerOf(c.partner(), c.accountId()).getString("access")).isEqualTo("enabled");
    api.advanceClock(1);
    api.advanceClock(1.0 / DAY_SECONDS);
    assertThat(api.customerOf(c.partner(), c.accountId()).getString("access")).isEqualTo("expired");
    assertRefused(fx.logIn(c.partner(), c.accountId()), 403, "ACCESS_EXPIRED");
  }

  // ---- R13 ------------------------------------------------------------------------------------

  @Test
  @DisplayName("R13 Switched on for one account today, the rule gives the partner 60 days from now even after 50 idle days")
  void perAccountSwitchOn() {
    // R13
    Connected c = withClockRunning("R13 Today");
    String session = api.session(c.partner(), c.accountId());
    api.advanceClock(50);
    String today = fx.now();
    Reply switched = expect(fx.switchRuleOn(c.accountId(), today), 200);
    assertThat(switched.json().getInteger("connectionsUpdated")).isEqualTo(1);
    JsonObject line = api.customerOf(c.partner(), c.accountId());
    assertSameInstant(line.getString("expiresAt"), instant(today).plus(SIXTY_DAYS));
    assertThat(expect(api.get("/api/v1/account", c.customer().token()), 200).json().getString("expiryRuleFrom"))
        .isNotNull();

    api.advanceClock(20); // day 70: past the 60 days the global date alone would have given
    assertThat(api.customerOf(c.partner(), c.accountId()).getString("access")).isEqualTo("enabled");
    api.advanceClock(40);
    api.advanceClock(1.0 / DAY_SECONDS);
    assertRefused(api.get("/api/v1/account", session), 403, "ACCESS_EXPIRED");
    assertThat(fx.activityKinds(c.customer())).contains("expiry.rule");
  }

  @Test
  @DisplayName("R13 The operator API needs the operator token and a known account")
  void operatorApiIsGuarded() {
    // R13
    Connected c = fx.connected("R13 Guard");
    String path = "/api/v1/ops/accounts/" + c.accountId() + "/expiry-rule";
    String body = new JsonObject().put("activeFrom", fx.now()).encode();
    assertRefused(fx.send("PUT", path, Map.of("Content-Type", "application/json"), body), 401, "UNAUTHENTICATED");
    assertRefused(fx.send("PUT", path, Map.of("Content-Type", "application/json", "X-Ops-Token", "wrong"), body), 401,
        "UNAUTHENTICATED");
    assertRefused(api.put(path, c.customer().token(), new JsonObject().put("activeFrom", fx.now())), 401, "UNAUTHENTICATED");
    assertRefused(fx.switchRuleOn(RuleFixtures.randomId(), fx.now()), 404, "NOT_FOUND");
    assertThat(expect(api.get("/api/v1/account", c.customer().token()), 200).json().getString("expiryRuleFrom")).isNull();
  }

  @Test
  @DisplayName("R13 With the global date in the future nothing expires until the operator switches the rule on for an account")
  void globalDateInTheFuture() {
    // R13
    try (TestApp later = TestApp.start(RuleFixtures.productConfig()
        .put("policy", new JsonObject().put("ruleFrom", "2100-01-01T00:00:00Z")))) {
      ApiClient api2 = later.api();
      RuleFixtures fx2 = new RuleFixtures(later);
      Connected switchedOn = fx2.connected("R13 Switched");
      Connected untouched = fx2.connected("R13 Untouched");
      for (Connected c : new Connected[] {switchedOn, untouched}) {
        expect(api2.createJobs(c.customer().token(), 100), 201);
      }
      String session = api2.session(switchedOn.partner(), switchedOn.accountId());
      api2.advanceClock(200);
      expect(api2.get("/api/v1/account/jobs", session), 200);
      // the rule is not in force yet: access lasts until 60 days after the global date
      assertThat(api2.customerOf(switchedOn.partner(), switchedOn.accountId()).getString("expiresAt"))
          .isEqualTo(GLOBAL_EXPIRY);

      String today = fx2.now();
      expect(fx2.switchRuleOn(switchedOn.accountId(), today), 200);
      assertSameInstant(api2.customerOf(switchedOn.partner(), switchedOn.accountId()).getString("expiresAt"),
          instant(today).plus(SIXTY_DAYS));
      api2.advanceClock(61);
      assertRefused(api2.get("/api/v1/account/jobs", session), 403, "ACCESS_EXPIRED");
      expect(fx2.logIn(untouched.partner(), untouched.accountId()), 201);
      assertThat(api2.customerOf(untouched.partner(), untouched.accountId()).getString("expiresAt")).isEqualTo(GLOBAL_EXPIRY);
    }
  }

  @Test
  @DisplayName("R13 Clearing an account's switch-on date returns it to the global date")
  void clearingTheSwitch() {
    // R13
    try (TestApp later = TestApp.start(RuleFixtures.productConfig()
        .put("policy", new JsonObject().put("ruleFrom", "2100-01-01T00:00:00Z")))) {
      ApiClient api2 = later.api();
      RuleFixtures fx2 = new RuleFixtures(later);
      Connected c = fx2.connected("R13 Clear");
      expect(api2.createJobs(c.customer().token(), 100), 201);
      assertThat(api2.customerOf(c.partner(), c.accountId()).getString("expiresAt")).isEqualTo(GLOBAL_EXPIRY);
      expect(fx2.switchRuleOn(c.accountId(), fx2.now()), 200);
      assertThat(instant(api2.customerOf(c.partner(), c.accountId()).getString("expiresAt"))).isBefore(instant(GLOBAL_EXPIRY));
      expect(fx2.switchRuleOn(c.accountId(), null), 200);
      assertThat(api2.customerOf(c.partner(), c.accountId()).getString("expiresAt")).isEqualTo(GLOBAL_EXPIRY);
      api2.advanceClock(90);
      expect(fx2.logIn(c.partner(), c.accountId()), 201);
    }
  }

  // ---- R14 ------------------------------------------------------------------------------------

  @Test
  @DisplayName("R14 Expired access behaves as disabled: the connection, the listing and the credits stay; the partner may ask again")
  void expiredBehavesAsDisabled() {
    // R14
    Connected c = withClockRunning("R14 Keep");
    api.advanceClock(61);
    JsonObject line = api.customerOf(c.partner(), c.accountId());
    assertThat(line.getString("access")).isEqualTo("expired");
    assertThat(line.getBoolean("canLogIn")).isFalse();
    assertThat(line.getBoolean("canRequestAccess")).isTrue();
    assertThat(fx.partnerInStaffList(c.customer(), c.partnerId()).getString("access")).isEqualTo("expired");
    assertThat(fx.profile(c.partner()).getInteger("connectedCustomers")).isEqualTo(1);
    assertThat(fx.profile(c.partner()).getInteger("credits")).isEqualTo(10);
    assertThat(expect(fx.requestAccess(c.partner(), c.accountId()), 201).json().getString("status")).isEqualTo("pending");
  }

  @Test
  @DisplayName("R14 Expiry is enforced on every check: one second past expiry the open session is refused without any sweep")
  void enforcedOnEveryCheck() {
    // R14
    Connected c = withClockRunning("R14 Second");
    String session = api.session(c.partner(), c.accountId());
    Instant expiresAt = instant(awaitLine(c, l -> l.getString("lastAccessedAt") != null).getString("expiresAt"));
    long secondsLeft = Duration.between(instant(fx.now()), expiresAt).getSeconds();
    fx.advanceSeconds(secondsLeft - 2);
    expect(api.get("/api/v1/account", c.customer().token()), 200);
    fx.advanceSeconds(3);
    assertRefused(api.get("/api/v1/account/jobs", session), 403, "ACCESS_EXPIRED");
    assertRefused(api.createJobs(session, 1), 403, "ACCESS_EXPIRED");
    assertThat(fx.jobCount(c.customer().token())).isEqualTo(100);
  }

  // ---- R15 ------------------------------------------------------------------------------------

  @Test
  @DisplayName("R15 Re-enabling expired access restarts the 60 days")
  void reEnableRestarts() {
    // R15
    Connected c = withClockRunning("R15 Enable");
    api.advanceClock(61);
    assertRefused(fx.logIn(c.partner(), c.accountId()), 403, "ACCESS_EXPIRED");
    String today = fx.now();
    JsonObject enabled = expect(api.setAccess(c.customer(), c.partnerId(), true), 200).json();
    assertThat(enabled.getString("access")).isEqualTo("enabled");
    assertThat(instant(enabled.getString("expiresAt"))).isBetween(instant(today).plus(SIXTY_DAYS),
        instant(today).plus(SIXTY_DAYS).plusSeconds(5));
    String session = api.session(c.partner(), c.accountId());
    api.advanceClock(59);
    expect(api.get("/api/v1/account/jobs", session), 200);
  }

  @Test
  @DisplayName("R15 Disabling and re-enabling within the 60 days restarts them too")
  void disableEnableRestarts() {
    // R15
    Connected c = withClockRunning("R15 Toggle");
    api.advanceClock(50);
    expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
    expect(api.setAccess(c.customer(), c.partnerId(), true), 200);
    api.advanceClock(30); // day 80
    expect(fx.logIn(c.partner(), c.accountId()), 201);
  }

  @Test
  @DisplayName("R15 Approving an access request after expiry enables access and restarts the 60 days")
  void approvalRestarts() {
    // R15, R16
    Connected c = withClockRunning("R15 Approve");
    api.advanceClock(61);
    String request = fx.requestAccessId(c.partner(), c.accountId());
    String today = fx.now();
    assertThat(expect(fx.approve(c.customer().token(), request), 200).json().getString("access")).isEqualTo("enabled");
    JsonObject line = api.customerOf(c.partner(), c.accountId());
    assertThat(line.getString("access")).isEqualTo("enabled");
    assertThat(instant(line.getString("expiresAt"))).isBetween(instant(today).plus(SIXTY_DAYS),
        instant(today).plus(SIXTY_DAYS).plusSeconds(5));
    api.advanceClock(59);
    expect(fx.logIn(c.partner(), c.accountId()), 201);
  }
}
