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
import java.util.List;

import static com.partneraccess.rules.RuleFixtures.assertRefused;
import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@DisplayName("Time-boxed access: a request with a reason and a length (R29)")
class TimeBoxedAccessTest extends RuleTestBase {

  /** A connected partner whose access the owner disabled: it may ask for access. */
  private Connected disabled(String name) {
    Connected c = fx.connected(name);
    expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
    return c;
  }

  /** The partner asks with a reason and {@code length}; the owner approves for {@code own} (null: as asked). */
  private JsonObject granted(Connected c, String length, String own) {
    Reply asked = expect(fx.requestAccess(c.partner(), c.accountId(), "Payroll closes this week", length), 201);
    String id = asked.json().getString("requestId");
    expect(own == null ? fx.approve(c.customer().token(), id) : fx.approve(c.customer().token(), id, own), 200);
    return api.customerOf(c.partner(), c.accountId());
  }

  private static Instant instant(String iso) {
    return iso == null ? null : Instant.parse(iso);
  }

  private static Reply sweep(double days) {
    return expect(api.post("/api/v1/test/clock", null, new JsonObject().put("days", days).put("sweep", true)), 200);
  }

  private List<JsonObject> partnerBanners(Connected c, String kind) {
    return fx.partnerBanners(c.partner()).stream()
        .filter(b -> kind.equals(b.getString("kind")) && c.accountId().equals(b.getString("accountId"))).toList();
  }

  @Test
  @DisplayName("R29 A request without a reason is refused with 400 and creates nothing; so are a long reason and an unknown length")
  void reasonRequired() {
    // R29
    Connected c = disabled("R29 Reason");
    assertRefused(fx.requestAccess(c.partner(), c.accountId(), null, "7d"), 400, "VALIDATION_FAILED");
    assertThat(fx.requestAccess(c.partner(), c.accountId(), "   ", null).json().getString("detail"))
        .contains("reason is required");
    assertRefused(fx.requestAccess(c.partner(), c.accountId(), "x".repeat(501), null), 400, "VALIDATION_FAILED");
    assertRefused(fx.requestAccess(c.partner(), c.accountId(), "fine", "2d"), 400, "VALIDATION_FAILED");
    assertThat(fx.accessRequests(c.customer(), null)).isEmpty();
    assertThat(fx.accountBanners(c.customer().token())).isEmpty();
    assertThat(api.customerOf(c.partner(), c.accountId()).getBoolean("canRequestAccess")).isTrue();
  }

  @Test
  @DisplayName("R29 Each length (1, 7, 30 days, until the 60-day rule): the owner sees reason and length, and approving as asked sets the grant's end from the clock")
  void eachLength() {
    // R29
    for (String length : new String[] {"1d", "7d", "30d", "rule"}) {
      Connected c = disabled("R29 Length " + length);
      String id = expect(fx.requestAccess(c.partner(), c.accountId(), "Year-end close " + length, length), 201)
          .json().getString("requestId");
      JsonObject banner = fx.accountBanners(c.customer().token()).get(0);
      String phrase = switch (length) {
        case "1d" -> "for 1 day";
        case "7d" -> "for 7 days";
        case "30d" -> "for 30 days";
        default -> "until the 60-day rule";
      };
      assertThat(banner.getString("message")).isEqualTo("R29 Length " + length
          + " Partners has requested access to your account " + phrase + ". Reason: Year-end close " + length);
      JsonObject pending = fx.accessRequests(c.customer(), "pending").get(0);
      assertThat(pending.getString("reason")).isEqualTo("Year-end close " + length);
      assertThat(pending.getString("length")).isEqualTo(length);

      Instant approvedAt = instant(fx.now());
      JsonObject approved = expect(fx.approve(c.customer().token(), id), 200).json();
      assertThat(approved.getString("access")).isEqualTo("enabled");
      JsonObject line = api.customerOf(c.partner(), c.accountId());
      assertThat(line.getString("access")).isEqualTo("enabled");
      assertThat(fx.accessRequests(c.customer(), "approved").get(0).getString("grantedLength")).isEqualTo(length);
      assertThat(partnerBanners(c, "request_approved").get(0).getString("message"))
          .isEqualTo("R29 Length " + length + " Ltd approved your access request " + phrase);
      if ("rule".equals(length)) {
        assertThat(line.getString("grantEndsAt")).isNull();
        assertThat(line.getString("expiresAt")).as("no grant, and the 60-day clock has not started").isNull();
      } else {
        int days = Integer.parseInt(length.substring(0, length.length() - 1));
        assertThat(line.getInteger("grantDays")).isEqualTo(days);
        assertThat(instant(line.getString("grantEndsAt")))
            .isCloseTo(approvedAt.plus(Duration.ofDays(days)), within(5, ChronoUnit.SECONDS));
        assertThat(line.getString("expiresAt")).isEqualTo(line.getString("grantEndsAt"));
        assertThat(line.getInteger("daysUntilExpiry")).isEqualTo(days);
        assertThat(approved.getString("expiresAt")).isNotNull();
      }
      expect(fx.logIn(c.partner(), c.accountId()), 201);
    }
  }

  @Test
  @DisplayName("R29 The owner approves for a length of its own: shorter, longer, or until the 60-day rule")
  void ownersOwnLength() {
    // R29
    Connected shorter = disabled("R29 Own shorter");
    JsonObject line = granted(shorter, "30d", "1d");
    assertThat(line.getInteger("grantDays")).isEqualTo(1);
    assertThat(fx.accessRequests(shorter.customer(), "approved").get(0).getString("length")).isEqualTo("30d");
    assertThat(fx.accessRequests(shorter.customer(), "approved").get(0).getString("grantedLength")).isEqualTo("1d");

    Connected longer = disabled("R29 Own longer");
    assertThat(granted(longer, "1d", "30d").getInteger("grantDays")).isEqualTo(30);

    Connected open = disabled("R29 Own open");
    line = granted(open, "7d", "rule");
    assertThat(line.getString("grantEndsAt")).isNull();
    assertThat(line.getString("expiresAt")).isNull();

    Connected bad = disabled("R29 Own bad");
    String id = fx.requestAccessId(bad.partner(), bad.accountId());
    assertRefused(fx.approve(bad.customer().token(), id, "90d"), 400, "VALIDATION_FAILED");
    assertThat(fx.accessRequests(bad.customer(), "pending")).hasSize(1);
  }

  @Test
  @DisplayName("R29 Access ends at the earlier of the grant's end and the 60-day rule")
  void earlierOfGrantAndRule() {
    // R29: with the rule running (100 jobs, switched on), a 7-day grant ends before the rule's 60 days
    Connected c = disabled("R29 Earlier grant");
    expect(api.createJobs(c.customer().token(), 100), 201);
    expect(fx.switchRuleOn(c.accountId(), fx.now()), 200);
    Instant approvedAt = instant(fx.now());
    JsonObject line = granted(c, "7d", null);
    assertThat(instant(line.getString("expiresAt")))
        .isCloseTo(approvedAt.plus(Duration.ofDays(7)), within(5, ChronoUnit.SECONDS));
    // accesses restart the 60 days, never the grant
    String session = expect(fx.logIn(c.partner(), c.accountId()), 201).json().getString("token");
    assertThat(instant(expect(fx.logIn(c.partner(), c.accountId()), 201).json().getString("accessExpiresAt")))
        .isCloseTo(approvedAt.plus(Duration.ofDays(7)), within(5, ChronoUnit.SECONDS));
    api.advanceClock(7);
    assertRefused(api.get("/api/v1/account/jobs", session), 403, "ACCESS_EXPIRED");

    // with a 20-day rule, the rule ends a 30-day grant first, and says so
    try (TestApp shortRule = TestApp.start(RuleFixtures.productConfig()
        .put("policy", new JsonObject().put("expiryDays", 20).put("jobThreshold", 100)))) {
      ApiClient other = shortRule.api();
      RuleFixtures ofx = new RuleFixtures(shortRule);
      Connected r = ofx.connected("R29 Earlier rule");
      expect(other.createJobs(r.customer().token(), 100), 201);
      expect(ofx.switchRuleOn(r.accountId(), ofx.now()), 200);
      expect(other.setAccess(r.customer(), r.partnerId(), false), 200);
      String id = ofx.requestAccessId(r.partner(), r.accountId());
      Instant at = instant(ofx.now());
      expect(ofx.approve(r.customer().token(), id, "30d"), 200);
      JsonObject l = other.customerOf(r.partner(), r.accountId());
      assertThat(instant(l.getString("expiresAt"))).isCloseTo(at.plus(Duration.ofDays(20)), within(5, ChronoUnit.SECONDS));
      assertThat(l.getString("grantEndsAt")).as("the grant does not set the end").isNull();
      expect(other.post("/api/v1/test/clock", null, new JsonObject().put("days", 20.01).put("sweep", true)), 200);
      assertThat(ofx.activityKinds(r.customer())).contains("access.expired").doesNotContain("access.grant_ended");
      assertThat(other.customerOf(r.partner(), r.accountId()).getString("accessEndedReason")).contains("60-day rule");
    }
  }

  @Test
  @DisplayName("R29 When a grant ends, the sweep expires access and the history and the partner say the grant ended, and who approved it")
  void grantEndReason() {
    // R29
    Connected c = disabled("R29 Ended");
    granted(c, "1d", null);
    String session = expect(fx.logIn(c.partner(), c.accountId()), 201).json().getString("token");
    api.advanceClock(1);
    assertRefused(api.get("/api/v1/account/jobs", session), 403, "ACCESS_EXPIRED"); // R14: before any sweep
    sweep(0.001);
    JsonObject ended = fx.activity(c.customer()).stream()
        .filter(a -> "access.grant_ended".equals(a.getString("kind"))).findFirst().orElseThrow();
    assertThat(ended.getString("summary"))
        .isEqualTo("Access of partner R29 Ended Partners ended: the 1-day grant approved by R29 Ended Ltd owner ended");
    assertThat(fx.activityKinds(c.customer())).doesNotContain("access.expired");
    assertThat(partnerBanners(c, "access_expired")).extracting(b -> b.getString("message"))
        .containsExactly("Your access to R29 Ended Ltd ended: the 1-day grant approved by R29 Ended Ltd owner ended");
    JsonObject line = api.customerOf(c.partner(), c.accountId());
    assertThat(line.getString("access")).isEqualTo("expired");
    assertThat(line.getString("accessEndedReason")).isEqualTo("the 1-day grant approved by R29 Ended Ltd owner ended");
    assertThat(line.getBoolean("canRequestAccess")).isTrue();
    assertRefused(fx.logIn(c.partner(), c.accountId()), 403, "ACCESS_EXPIRED");
  }

  @Test
  @DisplayName("R29 R11 Warnings before a 7-day grant's end: only those that fit inside the grant (1 day before), saying the grant ends")
  void warningsBeforeGrantEnd() {
    // R29, R11
    Connected c = disabled("R29 Warn");
    granted(c, "7d", null);
    sweep(0.001);
    assertThat(partnerBanners(c, "expiry_warning")).as("7 and 14 days before fall at or before the approval").isEmpty();
    sweep(5.5);
    assertThat(partnerBanners(c, "expiry_warning")).isEmpty();
    sweep(1);
    assertThat(partnerBanners(c, "expiry_warning")).extracting(b -> b.getString("message"))
        .containsExactly("Your 7-day grant to R29 Warn Ltd ends in 1 day: ask again if you need longer");
    sweep(0.1);
    assertThat(partnerBanners(c, "expiry_warning")).as("once per end").hasSize(1);

    // a 30-day grant gets the 14-, 7- and 1-day warnings
    Connected month = disabled("R29 Warn month");
    granted(month, "30d", null);
    sweep(16.5);
    sweep(7);
    sweep(6);
    assertThat(partnerBanners(month, "expiry_warning")).extracting(b -> b.getString("message")).containsExactlyInAnyOrder(
        "Your 30-day grant to R29 Warn month Ltd ends in 14 days: ask again if you need longer",
        "Your 30-day grant to R29 Warn month Ltd ends in 7 days: ask again if you need longer",
        "Your 30-day grant to R29 Warn month Ltd ends in 1 day: ask again if you need longer");
  }

  @Test
  @DisplayName("R29 R7 Enabling access directly (not through a request) clears the grant: access lasts until the 60-day rule")
  void directEnableClearsGrant() {
    // R29, R7: while the grant runs
    Connected c = disabled("R29 Direct");
    assertThat(granted(c, "7d", null).getString("grantEndsAt")).isNotNull();
    expect(api.setAccess(c.customer(), c.partnerId(), true), 200);
    JsonObject line = api.customerOf(c.partner(), c.accountId());
    assertThat(line.getString("access")).isEqualTo("enabled");
    assertThat(line.getString("grantEndsAt")).isNull();
    assertThat(line.getString("expiresAt")).isNull();
    assertThat(fx.activityKinds(c.customer())).contains("access.enabled");
    api.advanceClock(8);
    expect(fx.logIn(c.partner(), c.accountId()), 201);

    // after the grant ended
    Connected after = disabled("R29 Direct after");
    granted(after, "1d", null);
    sweep(1.01);
    assertThat(api.customerOf(after.partner(), after.accountId()).getString("access")).isEqualTo("expired");
    expect(api.setAccess(after.customer(), after.partnerId(), true), 200);
    line = api.customerOf(after.partner(), after.accountId());
    assertThat(line.getString("access")).isEqualTo("enabled");
    assertThat(line.getString("grantEndsAt")).isNull();
    assertThat(line.getString("expiresAt")).isNull();
  }
}
