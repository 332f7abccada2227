package com.partneraccess.rules;

import com.partneraccess.rules.RuleFixtures.Connected;
import com.partneraccess.rules.RuleFixtures.StaffUser;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.partneraccess.rules.RuleFixtures.assertRefused;
import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The account's activity history (R23)")
class ActivityHistoryTest extends RuleTestBase {
  @Test
  @DisplayName("R23 Every partner log-in, access change, request, decision, rule switch and disconnection is in the history, newest first")
  void everythingIsRecorded() {
    // R23
    Connected c = fx.connected("R23 Record");
    Customer owner = c.customer();
    PartnerUser partner = c.partner();
    api.session(partner, c.accountId());
    api.session(partner, c.accountId());
    expect(api.setAccess(owner, partner.partnerId(), false), 200);
    String first = fx.requestAccessId(partner, c.accountId());
    expect(fx.deny(owner.token(), first), 200);
    String second = fx.requestAccessId(partner, c.accountId());
    expect(fx.approve(owner.token(), second), 200);
    expect(api.setAccess(owner, partner.partnerId(), false), 200);
    expect(api.setAccess(owner, partner.partnerId(), true), 200);
    expect(fx.switchRuleOn(c.accountId(), fx.now()), 200);
    expect(fx.disconnectByCustomer(owner, partner.partnerId(), "done"), 200);

    List<JsonObject> history = fx.activity(owner);
    assertThat(history.stream().map(a -> a.getString("kind")).toList()).containsExactly(
        "partner.disconnected", "expiry.rule", "access.enabled", "access.disabled", "request.approved",
        "access.requested", "request.denied", "access.requested", "access.disabled", "partner.login", "partner.login",
        "partner.connected", "account.created");
    assertThat(history).allSatisfy(a -> {
      assertThat(a.getLong("id")).isPositive();
      assertThat(a.getString("at")).isNotNull();
      assertThat(a.getString("summary")).isNotBlank();
    });
    JsonObject login = history.stream().filter(a -> "partner.login".equals(a.getString("kind"))).findFirst().orElseThrow();
    assertThat(login.getString("partner")).isEqualTo("R23 Record Partners");
    assertThat(login.getString("user")).isEqualTo("R23 Record Partners user");
    JsonObject decided = history.stream().filter(a -> "request.approved".equals(a.getString("kind"))).findFirst().orElseThrow();
    assertThat(decided.getString("user")).isEqualTo("R23 Record Ltd owner");
  }

  @Test
  @DisplayName("R23 Sign-ups through a referral, partner-created accounts and a partner's own disconnect are recorded too")
  void otherConnectionsAreRecorded() {
    // R23
    PartnerUser partner = api.signUpPartner("R23 Origins");
    Customer referred = api.signUpCustomer("R23 Referred", partner.referralCode());
    assertThat(fx.activityKinds(referred)).containsExactly("partner.connected", "account.created");
    expect(fx.disconnectByPartner(partner, referred.accountId()), 200);
    assertThat(fx.activityKinds(referred).get(0)).isEqualTo("partner.disconnected");
    assertThat(fx.activity(referred).get(0).getString("summary")).contains("R23 Origins disconnected");

    String ownerEmail = ApiClient.uniqueEmail("r23");
    fx.addCustomer(partner, "R23 Created", null, ownerEmail);
    Customer created = new Customer(null, null, ownerEmail, api.token(ownerEmail, RuleFixtures.PASSWORD));
    // R25: the handover is in the history: the claim link sent, then the owner's claim
    assertThat(fx.activityKinds(created)).containsExactly("owner.claimed", "owner.claim_sent", "account.created");
    assertThat(fx.activity(created).get(2).getString("summary")).contains("Partner R23 Origins created the account");
  }

  @Test
  @DisplayName("R23 Only the account owner reads the history: admins, staff and partners are refused")
  void onlyTheOwnerReads() {
    // R23, R9
    Connected c = fx.connected("R23 Readers");
    StaffUser admin = fx.staff(c.customer(), "admin");
    StaffUser staff = fx.staff(c.customer(), "staff");
    String session = api.session(c.partner(), c.accountId());
    for (String token : new String[] {admin.token(), staff.token(), session}) {
      assertRefused(api.get("/api/v1/account/activity", token), 403, "OWNER_ONLY");
    }
    assertRefused(api.get("/api/v1/account/activity", c.partner().token()), 403, "ACCOUNT_SCOPE_REQUIRED");
    assertRefused(api.get("/api/v1/account/activity", null), 401, "UNAUTHENTICATED");
    assertThat(fx.activityKinds(c.customer())).contains("partner.login", "staff.added");
  }

  @Test
  @DisplayName("R23 The history is read a page at a time, newest first")
  void paging() {
    // R23
    Connected c = fx.connected("R23 Pages");
    for (int i = 0; i < 4; i++) {
      api.session(c.partner(), c.accountId());
    }
    List<JsonObject> all = fx.activity(c.customer());
    List<JsonObject> page1 = expect(api.get("/api/v1/account/activity?limit=2", c.customer().token()), 200)
        .array("activity").stream().map(o -> (JsonObject) o).toList();
    assertThat(page1).extracting(a -> a.getLong("id")).containsExactly(all.get(0).getLong("id"), all.get(1).getLong("id"));
    List<JsonObject> page2 = expect(api.get("/api/v1/account/activity?limit=2&before=" + page1.get(1).getLong("id"),
        c.customer().token()), 200).array("activity").stream().map(o -> (JsonObject) o).toList();
    assertThat(page2).extracting(a -> a.getLong("id")).containsExactly(all.get(2).getLong("id"), all.get(3).getLong("id"));
  }
}
