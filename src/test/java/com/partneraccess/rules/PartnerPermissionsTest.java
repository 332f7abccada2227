package com.partneraccess.rules;

import com.partneraccess.rules.RuleFixtures.Connected;
import com.partneraccess.rules.RuleFixtures.StaffUser;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.PartnerUser;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static com.partneraccess.rules.RuleFixtures.PASSWORD;
import static com.partneraccess.rules.RuleFixtures.assertRefused;
import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("What partners and staff may do inside an account (R9, R10)")
class PartnerPermissionsTest extends RuleTestBase {
  @Test
  @DisplayName("R9 A partner with access works as the business owner: account, jobs, staff list, adding staff")
  void partnerActsAsBusinessOwner() {
    // R9
    Connected c = fx.connected("R9 Owner Role");
    String session = api.session(c.partner(), c.accountId());
    assertThat(expect(api.get("/api/v1/account", session), 200).json().getString("id")).isEqualTo(c.accountId());
    expect(api.createJobs(session, 3), 201);
    assertThat(expect(api.get("/api/v1/account/jobs", session), 200).array("jobs")).hasSize(3);
    assertThat(expect(api.get("/api/v1/account/staff", session), 200).array("partners")).hasSize(1);
    // R24: a partner adds users by e-mail invitation only, as staff; they choose their own password
    String email = ApiClient.uniqueEmail("hired");
    assertRefused(api.post("/api/v1/account/staff", session, new JsonObject().put("name", "Hired by partner")
        .put("email", email).put("password", PASSWORD).put("role", "staff")), 403, "CUSTOMER_ONLY");
    StaffUser hired = fx.partnerAddedStaff(session);
    assertThat(expect(api.get("/api/v1/account", api.token(hired.email(), PASSWORD)), 200).json()
        .getJsonObject("you").getString("role")).isEqualTo("staff");
  }

  @Test
  @DisplayName("R9 A partner never changes the owner, reads the history, cancels, touches the subscription or accepts invites")
  void partnerExceptions() {
    // R9
    Connected c = fx.connected("R9 Except");
    StaffUser admin = fx.staff(c.customer(), "admin");
    String session = api.session(c.partner(), c.accountId());
    PartnerUser other = api.signUpPartner("R9 Other");
    String invite = fx.invite(other, c.accountId());

    assertRefused(api.put("/api/v1/account/owner", session, new JsonObject().put("userId", admin.userId())), 403, "OWNER_ONLY");
    assertRefused(api.get("/api/v1/account/activity", session), 403, "OWNER_ONLY");
    assertRefused(api.post("/api/v1/account/cancel", session, new JsonObject().put("reason", "partner says so")), 403, "OWNER_ONLY");
    assertRefused(api.get("/api/v1/account/subscription", session), 403, "OWNER_ONLY");
    assertRefused(api.put("/api/v1/account/subscription", session, new JsonObject().put("plan", "premium")), 403, "OWNER_ONLY");
    assertRefused(fx.accept(session, invite), 403, "OWNER_ONLY");
    assertRefused(fx.decline(session, invite), 403, "OWNER_ONLY");

    JsonObject account = expect(api.get("/api/v1/account", c.customer().token()), 200).json();
    assertThat(account.getString("status")).isEqualTo("active");
    assertThat(account.getString("plan")).isEqualTo("standard");
    assertThat(account.getString("ownerEmail")).isEqualTo(c.customer().email());
    assertThat(api.customerOf(other, c.accountId())).isNull();
    assertThat(fx.activityKinds(c.customer())).doesNotContain("owner.changed", "account.cancelled", "subscription.changed");
  }

  @Test
  @DisplayName("R9 Decisions about partners stay with the customer: a partner cannot switch access, disconnect or decide requests")
  void partnerCannotDecideAboutPartners() {
    // R9 (the customer controls access, R7)
    Connected c = fx.connected("R9 Decide");
    PartnerUser waiting = api.signUpPartner("R9 Waiting");
    api.connectByInvite(waiting, c.customer());
    expect(api.setAccess(c.customer(), waiting.partnerId(), false), 200);
    String request = fx.requestAccessId(waiting, c.accountId());
    String session = api.session(c.partner(), c.accountId());

    assertRefused(api.put("/api/v1/account/partners/" + waiting.partnerId() + "/access", session,
        new JsonObject().put("enabled", true)), 403, "CUSTOMER_ONLY");
    assertRefused(api.post("/api/v1/account/partners/" + waiting.partnerId() + "/disconnect", session, null), 403, "CUSTOMER_ONLY");
    assertRefused(fx.approve(session, request), 403, "CUSTOMER_ONLY");
    assertRefused(fx.deny(session, request), 403, "CUSTOMER_ONLY");
    assertThat(api.customerOf(waiting, c.accountId()).getString("access")).isEqualTo("disabled");
    assertThat(fx.accessRequests(c.customer(), "pending")).hasSize(1);
  }

  @Test
  @DisplayName("R10 Staff work according to their role: staff cannot add users, admins can but are not owners")
  void staffRoles() {
    // R10
    Connected c = fx.connected("R10 Roles");
    StaffUser admin = fx.staff(c.customer(), "admin");
    StaffUser staff = fx.staff(c.customer(), "staff");
    expect(api.createJobs(staff.token(), 1), 201);
    expect(api.get("/api/v1/account/jobs", staff.token()), 200);
    JsonObject newcomer = new JsonObject().put("name", "New").put("email", ApiClient.uniqueEmail("new"))
        .put("password", PASSWORD).put("role", "staff");
    assertRefused(api.post("/api/v1/account/staff", staff.token(), newcomer), 403, "ROLE_FORBIDDEN");
    expect(api.post("/api/v1/account/staff", admin.token(), newcomer), 201);
    assertRefused(api.get("/api/v1/account/activity", admin.token()), 403, "OWNER_ONLY");
    assertRefused(api.post("/api/v1/account/cancel", admin.token(), null), 403, "OWNER_ONLY");
  }

  @Test
  @DisplayName("R10 The 60-day rule never applies to staff: a year without signing in, they still work while the partner expired")
  void noExpiryForStaff() {
    // R10
    Connected c = fx.connected("R10 Forever");
    StaffUser admin = fx.staff(c.customer(), "admin");
    StaffUser staff = fx.staff(c.customer(), "staff");
    expect(api.createJobs(c.customer().token(), 100), 201);
    api.advanceClock(400);
    assertRefused(fx.logIn(c.partner(), c.accountId()), 403, "ACCESS_EXPIRED");
    expect(api.get("/api/v1/account/jobs", staff.token()), 200);
    expect(api.createJobs(staff.token(), 1), 201);
    expect(api.get("/api/v1/account/staff", admin.token()), 200);
    expect(api.get("/api/v1/account/activity", c.customer().token()), 200);
  }

  @Test
  @DisplayName("R10 A role is read at every request: after an owner change the old owner's token has admin rights only")
  void rolesAreReadFresh() {
    // R10, R9
    Connected c = fx.connected("R10 Fresh");
    StaffUser admin = fx.staff(c.customer(), "admin");
    JsonObject changed = expect(api.put("/api/v1/account/owner", c.customer().token(),
        new JsonObject().put("userId", admin.userId())), 200).json();
    assertThat(changed.getString("ownerUserId")).isEqualTo(admin.userId());
    assertRefused(api.get("/api/v1/account/activity", c.customer().token()), 403, "OWNER_ONLY");
    expect(api.get("/api/v1/account/activity", admin.token()), 200);
    expect(api.get("/api/v1/account/access-requests", c.customer().token()), 200);
  }
}
