package com.partneraccess.rules;

import com.partneraccess.rules.RuleFixtures.Connected;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Collectors;

import static com.partneraccess.rules.RuleFixtures.assertRefused;
import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Revenue share and status credits (R21, R22)")
class RevenueAndStatusTest extends RuleTestBase {
  /** 20 % of the monthly price, pro rata for the days, to the cent. */
  private static String expectedAmount(String monthlyPrice, int days, YearMonth month) {
    return new BigDecimal(monthlyPrice).multiply(BigDecimal.valueOf(20L * days))
        .divide(BigDecimal.valueOf(100L * month.lengthOfMonth()), 2, RoundingMode.HALF_EVEN).toPlainString();
  }

  private JsonObject statement(PartnerUser partner, YearMonth month) {
    return expect(api.get("/api/v1/partner/commission?month=" + month, partner.token()), 200).json();
  }

  private static Map<String, JsonObject> linesByAccount(JsonObject statement) {
    return statement.getJsonArray("lines").stream().map(o -> (JsonObject) o)
        .collect(Collectors.toMap(l -> l.getString("accountId"), l -> l));
  }

  /** Moves the clock to 01:00 UTC on the first day of the first month that starts at least {@code minDays} ahead. */
  private YearMonth moveToMonthStart(int minDays) {
    Instant now = Instant.parse(fx.now());
    YearMonth month = YearMonth.from(now.plus(Duration.ofDays(minDays)).atOffset(ZoneOffset.UTC)).plusMonths(1);
    Instant target = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).plus(Duration.ofHours(1));
    fx.advanceSeconds(Duration.between(now, target).toMillis() / 1000.0);
    return month;
  }

  @Test
  @DisplayName("R21 Commission accrues per day for enabled, disabled and expired customers alike, and stops at the disconnection")
  void commissionStatement() {
    // R21
    PartnerUser partner = api.signUpPartner("R21 Revenue");
    Customer expired = api.signUpCustomer("Expired Eatery", null);
    api.connectByInvite(partner, expired);
    expect(api.createJobs(expired.token(), 100), 201);
    YearMonth month = moveToMonthStart(61);

    Customer enabled = api.signUpCustomer("Enabled Estate", null);
    api.connectByInvite(partner, enabled);
    String depotOwner = ApiClient.uniqueEmail("depot");
    String disabled = fx.addCustomer(partner, "Disabled Depot", "premium", depotOwner).getString("accountId");
    Customer disabledOwner = new Customer(disabled, null, depotOwner, api.token(depotOwner, RuleFixtures.PASSWORD));
    expect(api.setAccess(disabledOwner, partner.partnerId(), false), 200);
    assertThat(api.customerOf(partner, expired.accountId()).getString("access")).isEqualTo("expired");
    assertThat(api.customerOf(partner, disabled).getString("access")).isEqualTo("disabled");

    api.advanceClock(10); // the 11th, 01:00: days 1-10 and today count
    Map<String, JsonObject> lines = linesByAccount(statement(partner, month));
    for (String account : new String[] {expired.accountId(), enabled.accountId(), disabled}) {
      assertThat(lines.get(account).getInteger("days")).as(account).isEqualTo(11);
    }
    assertThat(lines.get(disabled).getString("amount")).isEqualTo(expectedAmount("119.0", 11, month));
    assertThat(lines.get(enabled.accountId()).getString("amount")).isEqualTo(expectedAmount("59.0", 11, month));

    expect(fx.disconnectByCustomer(enabled, partner.partnerId(), null), 200);
    api.advanceClock(5); // the 16th
    JsonObject later = statement(partner, month);
    lines = linesByAccount(later);
    JsonObject stopped = lines.get(enabled.accountId());
    assertThat(stopped.getInteger("days")).isEqualTo(10); // the day of the disconnection does not count
    assertThat(stopped.getString("disconnectedAt")).isNotNull();
    assertThat(stopped.getString("amount")).isEqualTo(expectedAmount("59.0", 10, month));
    assertThat(lines.get(expired.accountId()).getInteger("days")).isEqualTo(16);
    assertThat(lines.get(disabled).getInteger("days")).isEqualTo(16);
    BigDecimal total = later.getJsonArray("lines").stream().map(o -> new BigDecimal(((JsonObject) o).getString("amount")))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(new BigDecimal(later.getString("total"))).isEqualByComparingTo(total);
    assertThat(later.getString("currency")).isEqualTo("USD");

    api.advanceClock(5);
    assertThat(linesByAccount(statement(partner, month)).get(enabled.accountId()).getInteger("days")).isEqualTo(10);
    assertThat(linesByAccount(statement(partner, month.plusMonths(1)))).doesNotContainKey(enabled.accountId());

    // the chart's monthly totals are the statements' totals
    for (Object o : expect(api.get("/api/v1/partner/commission/history?months=3", partner.token()), 200).json()
        .getJsonArray("months")) {
      JsonObject m = (JsonObject) o;
      assertThat(m.getString("total")).as(m.getString("month"))
          .isEqualTo(statement(partner, YearMonth.parse(m.getString("month"))).getString("total"));
    }
  }

  @Test
  @DisplayName("R21 Only partners read commission statements, and the month must be valid")
  void commissionIsForPartners() {
    // R21
    Connected c = fx.connected("R21 Guard");
    assertRefused(api.get("/api/v1/partner/commission", c.customer().token()), 403, "PARTNER_ONLY");
    assertRefused(api.get("/api/v1/partner/commission?month=2024-13", c.partner().token()), 400, "VALIDATION_FAILED");
    JsonObject current = expect(api.get("/api/v1/partner/commission", c.partner().token()), 200).json();
    assertThat(current.getJsonArray("lines")).hasSize(1);
    assertThat(expect(api.get("/api/v1/partner/commission/history?months=3", c.partner().token()), 200).json()
        .getJsonArray("months")).hasSize(3);
  }

  @Test
  @DisplayName("R22 Credits come from connected customers and decide the tier; a disconnect loses that customer's credits and tier")
  void creditsAndTier() {
    // R22
    PartnerUser partner = api.signUpPartner("R22 Credits");
    JsonObject empty = fx.profile(partner);
    assertThat(empty.getInteger("credits")).isZero();
    assertThat(empty.getString("tier")).isEqualTo("Bronze");
    assertThat(empty.getString("referralLink")).endsWith("/signup?ref=" + partner.referralCode());

    String premiumOwner = ApiClient.uniqueEmail("premium");
    String premium = fx.addCustomer(partner, "Premium One", "premium", premiumOwner).getString("accountId");
    fx.addCustomer(partner, "Premium Two", "premium", null);
    Customer standard = api.signUpCustomer("Standard Shop", partner.referralCode()); // disabled access still counts
    JsonObject silver = fx.profile(partner);
    assertThat(silver.getInteger("connectedCustomers")).isEqualTo(3);
    assertThat(silver.getInteger("credits")).isEqualTo(50);
    assertThat(silver.getString("tier")).isEqualTo("Silver");
    assertThat(silver.getString("nextTier")).isEqualTo("Gold");
    assertThat(silver.getInteger("creditsToNextTier")).isEqualTo(100);

    expect(fx.disconnectByCustomer(new Customer(premium, null, premiumOwner, api.token(premiumOwner, RuleFixtures.PASSWORD)),
        partner.partnerId(), "too expensive"), 200);
    JsonObject bronze = fx.profile(partner);
    assertThat(bronze.getInteger("connectedCustomers")).isEqualTo(2);
    assertThat(bronze.getInteger("credits")).isEqualTo(30);
    assertThat(bronze.getString("tier")).isEqualTo("Bronze");
    assertThat(bronze.getInteger("creditsToNextTier")).isEqualTo(20);

    expect(fx.disconnectByPartner(partner, standard.accountId()), 200);
    assertThat(fx.profile(partner).getInteger("credits")).isEqualTo(20);
  }
}
