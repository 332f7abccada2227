package com.partneraccess.rules;

import com.partneraccess.rules.RuleFixtures.Connected;
import com.partneraccess.rules.RuleFixtures.StaffUser;
import com.partneraccess.support.ApiClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static com.partneraccess.rules.RuleFixtures.assertRefused;
import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Disconnecting (R18-R20)")
class DisconnectTest extends RuleTestBase {
  @Test
  @DisplayName("R18 The customer disconnects a partner with an optional reason; the partner is told why")
  void customerDisconnects() {
    // R18
    Connected c = fx.connected("R18 Customer");
    JsonObject done = expect(fx.disconnectByCustomer(c.customer(), c.partnerId(), "We moved to another accountant"), 200).json();
    assertThat(done.getBoolean("disconnected")).isTrue();
    assertThat(done.getString("partnerId")).isEqualTo(c.partnerId());
    JsonObject banner = fx.partnerBanners(c.partner()).stream().filter(b -> "disconnected".equals(b.getString("kind")))
        .findFirst().orElseThrow();
    assertThat(banner.getString("message")).isEqualTo("R18 Customer Ltd disconnected you: We moved to another accountant");
    assertThat(fx.activity(c.customer()).get(0).getString("summary")).contains("reason: We moved to another accountant");
    // without a reason works too
    Connected plain = fx.connected("R18 Plain");
    expect(fx.disconnectByCustomer(plain.customer(), plain.partnerId(), null), 200);
    assertThat(api.customerOf(plain.partner(), plain.accountId())).isNull();
  }

  @Test
  @DisplayName("R18 A partner disconnects from a customer; the customer sees a banner")
  void partnerDisconnects() {
    // R18
    Connected c = fx.connected("R18 Partner");
    expect(api.delete("/api/v1/partner/customers/" + c.accountId() + "?reason=Retiring", c.partner().token()), 200);
    assertThat(api.customerOf(c.partner(), c.accountId())).isNull();
    assertThat(fx.partnersInStaffList(c.customer())).isEmpty();
    assertThat(fx.accountBanners(c.customer().token())).extracting(b -> b.getString("kind")).contains("partner_disconnected");
    assertRefused(fx.disconnectByPartner(c.partner(), c.accountId()), 403, "NOT_CONNECTED");
  }

  @Test
  @DisplayName("R18 Only the customer's owner or admins disconnect inside the account; staff and partners may not")
  void whoMayDisconnect() {
    // R18
    Connected c = fx.connected("R18 Who");
    StaffUser staff = fx.staff(c.customer(), "staff");
    StaffUser admin = fx.staff(c.customer(), "admin");
    String session = api.session(c.partner(), c.accountId());
    assertRefused(api.post("/api/v1/account/partners/" + c.partnerId() + "/disconnect", staff.token(), null), 403, "ROLE_FORBIDDEN");
    assertRefused(api.post("/api/v1/account/partners/" + c.partnerId() + "/disconnect", session, null), 403, "CUSTOMER_ONLY");
    assertThat(fx.partnersInStaffList(c.customer())).hasSize(1);
    expect(api.post("/api/v1/account/partners/" + c.partnerId() + "/disconnect", admin.token(), null), 200);
    assertThat(fx.partnersInStaffList(c.customer())).isEmpty();
    assertRefused(fx.disconnectByCustomer(c.customer(), c.partnerId(), null), 403, "NOT_CONNECTED");
  }

  @Test
  @DisplayName("R19 Disconnecting removes the partner from both lists, stops open sessions and cancels a pending request")
  void disconnectRemovesEverything() {
    // R19
    Connected c = fx.connected("R19 Remove");
    String session = api.session(c.partner(), c.accountId());
    ApiClient.PartnerUser waiting = api.signUpPartner("R19 Waiting");
    api.connectByInvite(waiting, c.customer());
    expect(api.setAccess(c.customer(), waiting.partnerId(), false), 200);
    String request = fx.requestAccessId(waiting, c.accountId());

    expect(fx.disconnectByCustomer(c.customer(), c.partnerId(), null), 200);
    assertRefused(api.get("/api/v1/account/jobs", session), 403, "NOT_CONNECTED");
    assertRefused(api.createJobs(session, 1), 403, "NOT_CONNECTED");
    assertThat(api.customerOf(c.partner(), c.accountId())).isNull();
    assertThat(fx.partnerInStaffList(c.customer(), c.partnerId())).isNull();

    expect(fx.disconnectByPartner(waiting, c.accountId()), 200);
    assertThat(fx.accessRequests(c.customer(), "cancelled")).extracting(r -> r.getString("id")).containsExactly(request);
    assertThat(fx.accessRequests(c.customer(), "pending")).isEmpty();
    assertThat(fx.accountBanners(c.customer().token())).extracting(b -> b.getString("kind"))
        .doesNotContain("access_requested");
    assertRefused(fx.approve(c.customer().token(), request), 409, "REQUEST_NOT_PENDING");
    assertThat(fx.partnersInStaffList(c.customer())).isEmpty();
    assertThat(fx.jobCount(c.customer().token())).isZero();
  }

  @Test
  @DisplayName("R19 Disconnecting also ends disabled or expired connections")
  void disconnectFromAnyAccessState() {
    // R19, R5
    Connected c = fx.connected("R19 Expired");
    expect(api.createJobs(c.customer().token(), 100), 201);
    api.advanceClock(61);
    assertThat(api.customerOf(c.partner(), c.accountId()).getString("access")).isEqualTo("expired");
    expect(fx.disconnectByCustomer(c.customer(), c.partnerId(), "idle"), 200);
    assertThat(api.customerOf(c.partner(), c.accountId())).isNull();
  }

  @Test
  @DisplayName("R20 After a disconnect the partner cannot request access or log in; only a new invite connects it again")
  void onlyANewInviteReconnects() {
    // R20
    Connected c = fx.connected("R20 Again");
    expect(fx.disconnectByCustomer(c.customer(), c.partnerId(), null), 200);
    assertRefused(fx.requestAccess(c.partner(), c.accountId()), 403, "NOT_CONNECTED");
    assertRefused(fx.logIn(c.partner(), c.accountId()), 403, "NOT_CONNECTED");
    assertThat(fx.accessRequests(c.customer(), null)).isEmpty();

    String invite = fx.invite(c.partner(), c.accountId());
    expect(fx.accept(c.customer().token(), invite), 200);
    JsonObject line = api.customerOf(c.partner(), c.accountId());
    assertThat(line.getString("access")).isEqualTo("enabled");
    assertThat(line.getString("origin")).isEqualTo("invite");
    expect(fx.logIn(c.partner(), c.accountId()), 201);
  }

  @Test
  @DisplayName("R20 A referral customer who was disconnected is not reconnected by the old referral")
  void referralDoesNotReconnect() {
    // R20
    ApiClient.PartnerUser partner = api.signUpPartner("R20 Referral");
    ApiClient.Customer customer = api.signUpCustomer("Once Referred", partner.referralCode());
    expect(fx.disconnectByCustomer(customer, partner.partnerId(), null), 200);
    assertRefused(fx.requestAccess(partner, customer.accountId()), 403, "NOT_CONNECTED");
    assertThat(api.customerOf(partner, customer.accountId())).isNull();
  }

  @Test
  @DisplayName("R20 An invite sent before the connection cannot reconnect after a disconnect: accepting one voids the others")
  void olderInviteDoesNotReconnect() {
    // R20, R2
    ApiClient.PartnerUser partner = api.signUpPartner("R20 Twice");
    ApiClient.Customer customer = api.signUpCustomer("Twice Invited", null);
    String first = fx.invite(partner, customer.accountId());
    // a second pending invite of the same partner: by the owner's address (one per account id and one per address)
    String second = fx.inviteByEmail(partner, customer.email());
    expect(fx.accept(customer.token(), first), 200);
    expect(fx.disconnectByCustomer(customer, partner.partnerId(), null), 200);
    assertRefused(fx.accept(customer.token(), second), 409, "INVITE_NOT_PENDING");
    assertThat(api.customerOf(partner, customer.accountId())).isNull();
    expect(fx.accept(customer.token(), fx.invite(partner, customer.accountId())), 200);
    assertThat(api.customerOf(partner, customer.accountId()).getString("access")).isEqualTo("enabled");
  }
}
