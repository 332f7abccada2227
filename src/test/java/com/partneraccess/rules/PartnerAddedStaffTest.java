package com.partneraccess.rules;

import com.partneraccess.rules.RuleFixtures.Connected;
import com.partneraccess.rules.RuleFixtures.StaffUser;
import com.partneraccess.support.ApiClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.partneraccess.rules.RuleFixtures.PASSWORD;
import static com.partneraccess.rules.RuleFixtures.assertRefused;
import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("No partner backdoor: users a partner adds follow its access until the owner confirms them (R24)")
class PartnerAddedStaffTest extends RuleTestBase {

  private static JsonObject staffRow(String token, String userId) {
    return expect(api.get("/api/v1/account/staff", token), 200).json().getJsonArray("staff").stream()
        .map(JsonObject.class::cast).filter(s -> s.getString("userId").equals(userId)).findFirst().orElse(null);
  }

  @Test
  @DisplayName("R24 A partner adds users by e-mail invitation only and as staff only: a password or the admin role is refused with a reason")
  void inviteOnlyStaffOnly() {
    Connected c = fx.connected("R24 Invite Only");
    String session = api.session(c.partner(), c.accountId());
    String email = ApiClient.uniqueEmail("backdoor");
    ApiClient.Reply withPassword = api.post("/api/v1/account/staff", session, new JsonObject().put("name", "Back Door")
        .put("email", email).put("password", PASSWORD).put("role", "staff"));
    assertRefused(withPassword, 403, "CUSTOMER_ONLY");
    assertThat(withPassword.json().getString("detail")).contains("never sets a user's password");
    assertRefused(api.post("/api/v1/account/staff", session, new JsonObject().put("name", "Back Door")
        .put("email", email).put("role", "admin").put("password", PASSWORD)), 403, "CUSTOMER_ONLY");
    ApiClient.Reply admin = api.post("/api/v1/account/staff", session, new JsonObject().put("name", "Back Door")
        .put("email", email).put("role", "admin"));
    assertRefused(admin, 403, "CUSTOMER_ONLY");
    assertThat(admin.json().getString("detail")).contains("staff only");
    // nobody was created, nobody can sign in with the partner's password
    assertThat(api.post("/api/v1/auth/token", null, new JsonObject().put("email", email).put("password", PASSWORD))
        .status()).isEqualTo(401);
    assertThat(expect(api.get("/api/v1/account/staff", c.customer().token()), 200).json().getJsonArray("invited")).isEmpty();
  }

  @Test
  @DisplayName("R24 A user a partner added is shown as added by the partner and follows its access: suspended while disabled, removed on disconnect")
  void followsThePartnersAccess() {
    Connected c = fx.connected("R24 Follows");
    StaffUser hired = fx.partnerAddedStaff(api.session(c.partner(), c.accountId()));
    JsonObject row = staffRow(c.customer().token(), hired.userId());
    assertThat(row.getString("addedBy")).isEqualTo("R24 Follows Partners");
    assertThat(row.getString("addedByPartnerId")).isEqualTo(c.partnerId());
    assertThat(row.getBoolean("awaitingConfirmation")).isTrue();
    assertThat(row.getBoolean("suspended")).isFalse();
    expect(api.createJobs(hired.token(), 1), 201);

    expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
    ApiClient.Reply suspended = api.get("/api/v1/account/jobs", hired.token());
    assertRefused(suspended, 403, "ACCESS_DISABLED");
    assertThat(suspended.json().getString("detail")).contains("added by partner R24 Follows Partners")
        .contains("until the owner");
    assertRefused(api.createJobs(hired.token(), 1), 403, "ACCESS_DISABLED");
    assertThat(staffRow(c.customer().token(), hired.userId()).getBoolean("suspended")).isTrue();

    expect(api.setAccess(c.customer(), c.partnerId(), true), 200);
    expect(api.get("/api/v1/account/jobs", hired.token()), 200);

    expect(fx.disconnectByCustomer(c.customer(), c.partnerId(), null), 200);
    assertRefused(api.get("/api/v1/account", hired.token()), 403, "NOT_CONNECTED");
    assertThat(staffRow(c.customer().token(), hired.userId())).isNull();
    // a new connection of the same partner does not bring them back
    api.connectByInvite(c.partner(), c.customer());
    assertRefused(api.get("/api/v1/account", hired.token()), 403, "NOT_CONNECTED");
  }

  @Test
  @DisplayName("R24 R10 A user a partner added is suspended while the partner's access is expired")
  void suspendedWhileExpired() {
    Connected c = fx.connected("R24 Expired");
    StaffUser hired = fx.partnerAddedStaff(api.session(c.partner(), c.accountId()));
    StaffUser own = fx.staff(c.customer(), "staff");
    expect(api.createJobs(c.customer().token(), 100), 201);
    expect(fx.switchRuleOn(c.accountId(), fx.now()), 200);
    api.advanceClock(61);
    assertRefused(api.get("/api/v1/account/jobs", hired.token()), 403, "ACCESS_EXPIRED");
    // R10: the customer's own staff never expire
    expect(api.get("/api/v1/account/jobs", own.token()), 200);
  }

  @Test
  @DisplayName("R24 Only the owner confirms; a confirmed user keeps access by role after the partner is disabled or disconnected")
  void ownerConfirms() {
    Connected c = fx.connected("R24 Confirm");
    String session = api.session(c.partner(), c.accountId());
    StaffUser hired = fx.partnerAddedStaff(session);
    StaffUser admin = fx.staff(c.customer(), "admin");
    String path = "/api/v1/account/staff/" + hired.userId() + "/confirm";
    assertRefused(api.post(path, admin.token(), null), 403, "OWNER_ONLY");
    assertRefused(api.post(path, session, null), 403, "OWNER_ONLY");
    assertRefused(api.post(path, hired.token(), null), 403, "OWNER_ONLY");
    assertRefused(api.post("/api/v1/account/staff/" + admin.userId() + "/confirm", c.customer().token(), null), 404, "NOT_FOUND");

    JsonObject confirmed = expect(api.post(path, c.customer().token(), null), 200).json();
    assertThat(confirmed.getBoolean("confirmed")).isTrue();
    JsonObject row = staffRow(c.customer().token(), hired.userId());
    assertThat(row.getBoolean("awaitingConfirmation")).isFalse();
    assertThat(row.getString("addedBy")).isEqualTo("R24 Confirm Partners");
    assertThat(fx.activityKinds(c.customer())).contains("staff.confirmed");

    expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
    expect(api.get("/api/v1/account/jobs", hired.token()), 200);
    expect(fx.disconnectByCustomer(c.customer(), c.partnerId(), null), 200);
    expect(api.get("/api/v1/account/jobs", hired.token()), 200);
  }

  @Test
  @DisplayName("R24 A user awaiting confirmation cannot enable, approve, deny or disconnect partners, manage staff or become owner")
  void awaitingUserDecidesNothing() {
    Connected c = fx.connected("R24 Awaiting");
    ApiClient.PartnerUser waiting = api.signUpPartner("R24 Waiting");
    api.connectByInvite(waiting, c.customer());
    expect(api.setAccess(c.customer(), waiting.partnerId(), false), 200);
    String request = fx.requestAccessId(waiting, c.accountId());
    StaffUser hired = fx.partnerAddedStaff(api.session(c.partner(), c.accountId()));

    assertRefused(api.put("/api/v1/account/partners/" + waiting.partnerId() + "/access", hired.token(),
        new JsonObject().put("enabled", true)), 403, "ROLE_FORBIDDEN");
    assertRefused(api.put("/api/v1/account/partners/" + c.partnerId() + "/access", hired.token(),
        new JsonObject().put("enabled", true)), 403, "ROLE_FORBIDDEN");
    assertRefused(api.post("/api/v1/account/partners/" + waiting.partnerId() + "/disconnect", hired.token(), null),
        403, "ROLE_FORBIDDEN");
    assertRefused(fx.approve(hired.token(), request), 403, "ROLE_FORBIDDEN");
    assertRefused(fx.deny(hired.token(), request), 403, "ROLE_FORBIDDEN");
    assertRefused(api.post("/api/v1/account/staff", hired.token(), new JsonObject().put("name", "Friend")
        .put("email", ApiClient.uniqueEmail("friend")).put("role", "admin").put("password", PASSWORD)), 403, "ROLE_FORBIDDEN");
    // the owner cannot hand the account to them before confirming them
    assertRefused(api.put("/api/v1/account/owner", c.customer().token(), new JsonObject().put("userId", hired.userId())),
        404, "NOT_FOUND");
    assertThat(api.customerOf(waiting, c.accountId()).getString("access")).isEqualTo("disabled");
    assertThat(fx.accessRequests(c.customer(), "pending")).hasSize(1);
  }

  @Test
  @DisplayName("R24 R23 R17 Every staff change a partner makes is in the activity history and raises a banner for the owner")
  void historyAndBanner() {
    Connected c = fx.connected("R24 History");
    fx.partnerAddedStaff(api.session(c.partner(), c.accountId()));
    List<JsonObject> activity = fx.activity(c.customer());
    assertThat(activity.stream().filter(a -> List.of("staff.invited", "staff.joined").contains(a.getString("kind"))))
        .hasSize(2).allSatisfy(a -> assertThat(a.getString("partner")).isEqualTo("R24 History Partners"));
    List<JsonObject> banners = fx.accountBanners(c.customer().token());
    assertThat(banners.stream().filter(b -> "staff_changed_by_partner".equals(b.getString("kind")))).hasSize(2);
  }

  @Test
  @DisplayName("R24 A staff invitation from a partner ends when the partner is disconnected")
  void invitationEndsWithDisconnect() {
    Connected c = fx.connected("R24 Ended Invite");
    String session = api.session(c.partner(), c.accountId());
    expect(api.post("/api/v1/account/staff", session, new JsonObject().put("name", "Late Joiner")
        .put("email", ApiClient.uniqueEmail("late")).put("role", "staff")), 201);
    assertThat(expect(api.get("/api/v1/account/staff", c.customer().token()), 200).json().getJsonArray("invited")
        .getJsonObject(0).getString("addedBy")).isEqualTo("R24 Ended Invite Partners");
    expect(fx.disconnectByCustomer(c.customer(), c.partnerId(), null), 200);
    assertThat(expect(api.get("/api/v1/account/staff", c.customer().token()), 200).json().getJsonArray("invited")).isEmpty();
  }

  @Test
  @DisplayName("Item 7: an admin cannot add staff to a cancelled account; the owner gets the same answer")
  void cancelledAccountAddsNoStaff() {
    Connected c = fx.connected("Cancelled Staff");
    StaffUser admin = fx.staff(c.customer(), "admin");
    expect(api.post("/api/v1/account/cancel", c.customer().token(), new JsonObject()), 200);
    JsonObject hire = new JsonObject().put("name", "Too Late").put("email", ApiClient.uniqueEmail("toolate"))
        .put("role", "staff").put("password", PASSWORD);
    assertRefused(api.post("/api/v1/account/staff", admin.token(), hire), 403, "ACCOUNT_CANCELLED");
    JsonObject invite = hire.copy();
    invite.remove("password");
    assertRefused(api.post("/api/v1/account/staff", admin.token(), invite), 403, "ACCOUNT_CANCELLED");
    assertRefused(api.post("/api/v1/account/staff", c.customer().token(), hire), 403, "ACCOUNT_CANCELLED");
    assertRefused(fx.logIn(c.partner(), c.accountId()), 403, "ACCOUNT_CANCELLED");
  }
}
