package com.partneraccess.rules;

import com.partneraccess.rules.RuleFixtures.Connected;
import com.partneraccess.rules.RuleFixtures.StaffUser;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.ApiClient.Reply;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static com.partneraccess.rules.RuleFixtures.PASSWORD;
import static com.partneraccess.rules.RuleFixtures.assertRefused;
import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Connection lifecycle through the API (R1-R8)")
class ConnectionLifecycleTest extends RuleTestBase {
  private JsonObject invitesOf(PartnerUser partner, String inviteId) {
    Reply r = expect(api.get("/api/v1/partner/invites", partner.token()), 200);
    return r.array("invites").stream().map(o -> (JsonObject) o).filter(i -> inviteId.equals(i.getString("id")))
        .findFirst().orElseThrow();
  }

  // ---- R1 -------------------------------------------------------------------------------------

  @Test
  @DisplayName("R1 Only a partner starts a connection: a partner invite connects, a customer cannot invite a partner")
  void onlyPartnersInvite() {
    // R1
    PartnerUser partner = api.signUpPartner("R1 Partners");
    Customer customer = api.signUpCustomer("R1 Bakery", null);
    assertRefused(api.post("/api/v1/partner/invites", customer.token(),
        new JsonObject().put("accountId", customer.accountId())), 403, "PARTNER_ONLY");
    assertRefused(api.post("/api/v1/partner/invites", customer.token(),
        new JsonObject().put("email", partner.email())), 403, "PARTNER_ONLY");
    Reply noRoute = api.post("/api/v1/account/partner-invites", customer.token(), new JsonObject());
    assertThat(noRoute.status()).as("%s", noRoute).isIn(404, 405);
    assertThat(api.customerOf(partner, customer.accountId())).isNull();

    String invite = fx.invite(partner, customer.accountId());
    JsonObject listed = expect(api.get("/api/v1/account/partner-invites", customer.token()), 200).array("invites")
        .getJsonObject(0);
    assertThat(listed.getString("id")).isEqualTo(invite);
    assertThat(listed.getString("partnerName")).isEqualTo("R1 Partners");
    expect(fx.accept(customer.token(), invite), 200);
    assertThat(api.customerOf(partner, customer.accountId()).getString("access")).isEqualTo("enabled");
    // a second invite to a connected customer is refused
    assertRefused(api.post("/api/v1/partner/invites", partner.token(),
        new JsonObject().put("accountId", customer.accountId())), 409, "ALREADY_CONNECTED");
  }

  @Test
  @DisplayName("R1 A partner invites by email a customer who signs up later; the new owner sees and accepts the invite")
  void inviteByEmailBeforeSignUp() {
    // R1
    PartnerUser partner = api.signUpPartner("R1 Email Partners");
    String email = ApiClient.uniqueEmail("later");
    String invite = fx.inviteByEmail(partner, email);
    assertThat(invitesOf(partner, invite).getString("accountId")).isNull();
    assertThat(invitesOf(partner, invite).getString("status")).isEqualTo("pending");

    Customer customer = fx.signUpWithEmail("Later Florist", email.toUpperCase());
    Reply pending = expect(api.get("/api/v1/account/partner-invites", customer.token()), 200);
    assertThat(pending.array("invites").stream().map(o -> ((JsonObject) o).getString("id"))).containsExactly(invite);
    // another customer cannot accept an invite that is not theirs
    Customer stranger = api.signUpCustomer("Stranger", null);
    assertRefused(fx.accept(stranger.token(), invite), 404, "NOT_FOUND");

    JsonObject accepted = expect(fx.accept(customer.token(), invite), 200).json();
    assertThat(accepted.getString("access")).isEqualTo("enabled");
    assertThat(api.customerOf(partner, customer.accountId()).getString("origin")).isEqualTo("invite");
    assertThat(invitesOf(partner, invite).getString("status")).isEqualTo("accepted");
    assertThat(invitesOf(partner, invite).getString("accountId")).isEqualTo(customer.accountId());
  }

  @Test
  @DisplayName("R1 Inviting an existing owner's email targets that owner's account")
  void inviteByEmailOfExistingOwner() {
    // R1
    PartnerUser partner = api.signUpPartner("R1 Known Partners");
    Customer customer = api.signUpCustomer("Known Garage", null);
    String invite = fx.inviteByEmail(partner, customer.email());
    // the owner sees it; the partner learns nothing about the account until it is accepted
    assertThat(expect(api.get("/api/v1/account/partner-invites", customer.token()), 200).body()).contains(invite);
    assertThat(invitesOf(partner, invite).getString("accountId")).isNull();
    expect(fx.accept(customer.token(), invite), 200);
    assertThat(api.customerOf(partner, customer.accountId())).isNotNull();
    assertThat(invitesOf(partner, invite).getString("accountId")).isEqualTo(customer.accountId());
  }

  // ---- R2 -------------------------------------------------------------------------------------

  @Test
  @DisplayName("R2 Only the account owner accepts: admin, staff and a partner inside the account get OWNER_ONLY")
  void onlyOwnerAccepts() {
    // R2
    Connected c = fx.connected("R2 Owner");
    StaffUser admin = fx.staff(c.customer(), "admin");
    StaffUser staff = fx.staff(c.customer(), "staff");
    String partnerSession = api.session(c.partner(), c.accountId());
    PartnerUser second = api.signUpPartner("R2 Second");
    String invite = fx.invite(second, c.accountId());

    for (String token : new String[] {admin.token(), staff.token(), partnerSession}) {
      assertRefused(fx.accept(token, invite), 403, "OWNER_ONLY");
      assertRefused(fx.decline(token, invite), 403, "OWNER_ONLY");
    }
    assertThat(api.customerOf(second, c.accountId())).isNull();
    assertThat(invitesOf(second, invite).getString("status")).isEqualTo("pending");

    expect(fx.accept(c.customer().token(), invite), 200);
    assertThat(api.customerOf(second, c.accountId()).getString("access")).isEqualTo("enabled");
  }

  @Test
  @DisplayName("R2 An invite is single-use: a second accept or a decline after accepting is refused")
  void invitesAreSingleUse() {
    // R2
    PartnerUser partner = api.signUpPartner("R2 Single");
    Customer customer = api.signUpCustomer("Single Shop", null);
    String invite = fx.invite(partner, customer.accountId());
    expect(fx.accept(customer.token(), invite), 200);
    assertRefused(fx.accept(customer.token(), invite), 409, "INVITE_NOT_PENDING");
    assertRefused(fx.decline(customer.token(), invite), 409, "INVITE_NOT_PENDING");
    assertThat(fx.partnersInStaffList(customer)).hasSize(1);
  }

  @Test
  @DisplayName("R2 Invites expire after 14 days: accepting 15 days later gives INVITE_EXPIRED")
  void invitesExpire() {
    // R2
    PartnerUser partner = api.signUpPartner("R2 Expiring");
    Customer customer = api.signUpCustomer("Slow Reader", null);
    String invite = fx.invite(partner, customer.accountId());
    api.advanceClock(15);
    assertThat(invitesOf(partner, invite).getString("status")).isEqualTo("expired");
    assertRefused(fx.accept(customer.token(), invite), 409, "INVITE_EXPIRED");
    assertRefused(fx.decline(customer.token(), invite), 409, "INVITE_EXPIRED");
    assertThat(api.customerOf(partner, customer.accountId())).isNull();
  }

  @Test
  @DisplayName("R2 Resending an invite makes it valid for another 14 days")
  void resendExtendsTheInvite() {
    // R2
    PartnerUser partner = api.signUpPartner("R2 Resend");
    Customer customer = api.signUpCustomer("Resend Cafe", null);
    String invite = fx.invite(partner, customer.accountId());
    api.advanceClock(10);
    Reply resent = expect(api.post("/api/v1/partner/invites/" + invite + "/resend", partner.token(), null), 200);
    assertThat(resent.json().getString("id")).isEqualTo(invite);
    api.advanceClock(10);
    expect(fx.accept(customer.token(), invite), 200);
    assertThat(api.customerOf(partner, customer.accountId()).getString("access")).isEqualTo("enabled");
    assertRefused(api.post("/api/v1/partner/invites/" + invite + "/resend", partner.token(), null), 409,
        "INVITE_NOT_PENDING");
  }

  @Test
  @DisplayName("R2 A withdrawn invite cannot be accepted, resent or withdrawn again; other partners cannot withdraw it")
  void withdrawnInvites() {
    // R2
    PartnerUser partner = api.signUpPartner("R2 Withdraw");
    PartnerUser other = api.signUpPartner("R2 Other");
    Customer customer = api.signUpCustomer("Withdraw Deli", null);
    String invite = fx.invite(partner, customer.accountId());
    assertRefused(api.delete("/api/v1/partner/invites/" + invite, other.token()), 404, "NOT_FOUND");
    assertRefused(api.delete("/api/v1/partner/invites/" + invite, customer.token()), 403, "PARTNER_ONLY");
    expect(api.delete("/api/v1/partner/invites/" + invite, partner.token()), 200);
    assertThat(invitesOf(partner, invite).getString("status")).isEqualTo("withdrawn");
    assertThat(expect(api.get("/api/v1/account/partner-invites", customer.token()), 200).array("invites")).isEmpty();
    assertRefused(fx.accept(customer.token(), invite), 409, "INVITE_NOT_PENDING");
    assertRefused(api.delete("/api/v1/partner/invites/" + invite, partner.token()), 409, "INVITE_NOT_PENDING");
    assertRefused(api.post("/api/v1/partner/invites/" + invite + "/resend", partner.token(), null), 409,
        "INVITE_NOT_PENDING");
    assertThat(api.customerOf(partner, customer.accountId())).isNull();
  }

  @Test
  @DisplayName("R2 The owner declines an invite: no connection, the partner sees it declined, the history records it")
  void declineInvite() {
    // R2
    PartnerUser partner = api.signUpPartner("R2 Decline");
    Customer customer = api.signUpCustomer("Decline Dental", null);
    String invite = fx.invite(partner, customer.accountId());
    assertThat(expect(fx.decline(customer.token(), invite), 200).json().getString("status")).isEqualTo("declined");
    assertThat(invitesOf(partner, invite).getString("status")).isEqualTo("declined");
    assertThat(api.customerOf(partner, customer.accountId())).isNull();
    assertThat(fx.partnersInStaffList(customer)).isEmpty();
    assertRefused(fx.accept(customer.token(), invite), 409, "INVITE_NOT_PENDING");
    assertThat(fx.activityKinds(customer)).contains("invite.declined");
    // the partner may invite again later
    String again = fx.invite(partner, customer.accountId());
    expect(fx.accept(customer.token(), again), 200);
  }

  // ---- R3 -------------------------------------------------------------------------------------

  @Test
  @DisplayName("R3 A customer signing up through the partner's referral link joins its customer list")
  void referralSignUp() {
    // R3 (a)
    PartnerUser partner = api.signUpPartner("R3 Referral");
    Customer customer = api.signUpCustomer("Referred Roofing", partner.referralCode());
    JsonObject line = api.customerOf(partner, customer.accountId());
    assertThat(line).isNotNull();
    assertThat(line.getString("origin")).isEqualTo("referral");
    assertThat(fx.partnerInStaffList(customer, partner.partnerId())).isNotNull();
    Reply unknown = api.post("/api/v1/signup", null, new JsonObject().put("businessName", "Nobody's")
        .put("name", "N").put("email", ApiClient.uniqueEmail("nobody")).put("password", PASSWORD)
        .put("referralCode", "NOSUCHCODE"));
    assertRefused(unknown, 422, "UNKNOWN_REFERRAL_CODE");
  }

  @Test
  @DisplayName("R3 R25 A partner adds a customer on its behalf and hands it over: the owner claims it from the link with its own password")
  void partnerCreatedAccountHandover() {
    // R3 (b), R25
    PartnerUser partner = api.signUpPartner("R3 Creator");
    String ownerEmail = ApiClient.uniqueEmail("handover");
    // R25: a password the partner chose is refused, and nothing is created
    assertRefused(api.post("/api/v1/partner/customers", partner.token(), new JsonObject().put("businessName", "Chosen")
        .put("owner", new JsonObject().put("name", "Owner").put("email", ownerEmail).put("password", PASSWORD))),
        400, "VALIDATION_FAILED");
    assertThat(api.call("GET", "/api/v1/partner/customers", partner.token(), null).json().getJsonArray("customers")).isEmpty();

    JsonObject created = fx.addCustomer(partner, "Created Cleaning", "premium", ownerEmail);
    String accountId = created.getString("accountId");
    assertThat(created.getString("access")).isEqualTo("enabled");
    assertThat(created.getJsonObject("handover").getString("status")).isEqualTo("claim_sent");
    assertThat(api.customerOf(partner, accountId).getString("origin")).isEqualTo("created");

    String ownerToken = api.token(ownerEmail, PASSWORD);
    JsonObject account = expect(api.get("/api/v1/account", ownerToken), 200).json();
    assertThat(account.getString("id")).isEqualTo(accountId);
    assertThat(account.getString("plan")).isEqualTo("premium");
    assertThat(account.getJsonObject("you").getString("role")).isEqualTo("owner");
    // the owner reads what only an owner may read
    expect(api.get("/api/v1/account/activity", ownerToken), 200);
    // an account that has an owner cannot be handed over again
    assertRefused(api.post("/api/v1/partner/customers/" + accountId + "/owner", partner.token(), new JsonObject()
        .put("name", "Usurper").put("email", ApiClient.uniqueEmail("usurper"))), 409, "OWNER_EXISTS");
  }

  @Test
  @DisplayName("R3 R25 A partner creates an account without an owner and hands it over later; only a connected partner can, never with a password")
  void handoverLater() {
    // R3 (b), R25
    PartnerUser partner = api.signUpPartner("R3 Later");
    PartnerUser stranger = api.signUpPartner("R3 Stranger");
    String accountId = fx.addCustomer(partner, "Ownerless Orchard", null, null).getString("accountId");
    String email = ApiClient.uniqueEmail("orchard");
    JsonObject owner = new JsonObject().put("name", "Orchard Owner").put("email", email);
    assertRefused(api.post("/api/v1/partner/customers/" + accountId + "/owner", partner.token(),
        owner.copy().put("password", PASSWORD)), 400, "VALIDATION_FAILED");
    assertRefused(api.post("/api/v1/partner/customers/" + accountId + "/owner", stranger.token(), owner), 403,
        "NOT_CONNECTED");
    JsonObject sent = expect(api.post("/api/v1/partner/customers/" + accountId + "/owner", partner.token(), owner), 201).json();
    assertThat(sent.getString("ownerEmail")).isEqualTo(email);
    // nobody can sign in as the owner before the claim: the partner chose no password
    assertThat(api.post("/api/v1/auth/token", null, new JsonObject().put("email", email)
        .put("password", PASSWORD)).status()).isEqualTo(401);
    String claimed = expect(fx.claim(accountId, "owner-chose-this"), 201).json().getString("token");
    assertThat(expect(api.get("/api/v1/account", claimed), 200).json().getString("id")).isEqualTo(accountId);
    String ownerToken = api.token(email, "owner-chose-this");
    assertThat(expect(api.get("/api/v1/account", ownerToken), 200).json().getString("ownerEmail")).isEqualTo(email);
  }

  // ---- R4 -------------------------------------------------------------------------------------

  @Test
  @DisplayName("R4 A connected partner is in the staff list marked as a partner, and the customer is on its Customers page")
  void bothListsShowTheConnection() {
    // R4
    Connected c = fx.connected("R4 Lists");
    StaffUser staff = fx.staff(c.customer(), "staff");
    JsonObject staffList = expect(api.get("/api/v1/account/staff", c.customer().token()), 200).json();
    assertThat(staffList.getJsonArray("staff").stream().map(o -> ((JsonObject) o).getString("userId")))
        .contains(c.customer().ownerId(), staff.userId());
    assertThat(staffList.getJsonArray("staff").stream().map(o -> ((JsonObject) o).getString("type"))).containsOnly("staff");
    JsonObject p = fx.partnerInStaffList(c.customer(), c.partnerId());
    assertThat(p.getString("type")).isEqualTo("partner");
    assertThat(p.getString("name")).isEqualTo("R4 Lists Partners");
    JsonObject line = api.customerOf(c.partner(), c.accountId());
    assertThat(line.getString("businessName")).isEqualTo("R4 Lists Ltd");
  }

  // ---- R5 -------------------------------------------------------------------------------------

  @Test
  @DisplayName("R5 Access is separate from the connection: disabled access keeps the partner connected")
  void accessIsNotTheConnection() {
    // R5
    Connected c = fx.connected("R5 Separate");
    expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
    assertThat(fx.partnerInStaffList(c.customer(), c.partnerId()).getString("access")).isEqualTo("disabled");
    assertThat(api.customerOf(c.partner(), c.accountId()).getString("access")).isEqualTo("disabled");
    assertThat(fx.profile(c.partner()).getInteger("connectedCustomers")).isEqualTo(1);
  }

  // ---- R6 -------------------------------------------------------------------------------------

  @Test
  @DisplayName("R6 Initial access: accepted invite enabled, partner-created enabled, referral sign-up disabled")
  void initialAccess() {
    // R6
    PartnerUser partner = api.signUpPartner("R6 Initial");
    Customer invited = api.signUpCustomer("Invited Inn", null);
    api.connectByInvite(partner, invited);
    Customer referred = api.signUpCustomer("Referred Rest", partner.referralCode());
    String created = fx.addCustomer(partner, "Created Corner", null, null).getString("accountId");

    assertThat(api.customerOf(partner, invited.accountId()).getString("access")).isEqualTo("enabled");
    assertThat(api.customerOf(partner, created).getString("access")).isEqualTo("enabled");
    assertThat(api.customerOf(partner, referred.accountId()).getString("access")).isEqualTo("disabled");

    expect(fx.logIn(partner, invited.accountId()), 201);
    expect(fx.logIn(partner, created), 201);
    assertRefused(fx.logIn(partner, referred.accountId()), 403, "ACCESS_DISABLED");
    // until the customer enables it (R7)
    expect(api.setAccess(referred, partner.partnerId(), true), 200);
    expect(fx.logIn(partner, referred.accountId()), 201);
  }

  // ---- R7 -------------------------------------------------------------------------------------

  @Test
  @DisplayName("R7 The customer disables and enables access at any time; disabling stops an open session on its next request")
  void enableDisableAtAnyTime() {
    // R7
    Connected c = fx.connected("R7 Toggle");
    String session = api.session(c.partner(), c.accountId());
    expect(api.get("/api/v1/account/jobs", session), 200);

    JsonObject off = expect(api.setAccess(c.customer(), c.partnerId(), false), 200).json();
    assertThat(off.getString("access")).isEqualTo("disabled");
    assertRefused(api.get("/api/v1/account/jobs", session), 403, "ACCESS_DISABLED");
    assertRefused(api.createJobs(session, 1), 403, "ACCESS_DISABLED");
    assertRefused(fx.logIn(c.partner(), c.accountId()), 403, "ACCESS_DISABLED");
    // disabling twice changes nothing
    expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
    assertThat(fx.activityCount(c.customer(), "access.disabled")).isEqualTo(1);

    JsonObject on = expect(api.setAccess(c.customer(), c.partnerId(), true), 200).json();
    assertThat(on.getString("access")).isEqualTo("enabled");
    // the same token works again: access, not the token, decides
    expect(api.get("/api/v1/account/jobs", session), 200);
    assertThat(fx.jobCount(c.customer().token())).isZero();
  }

  @Test
  @DisplayName("R7 An admin may switch partner access; a staff user may not")
  void adminsManageAccess() {
    // R7
    Connected c = fx.connected("R7 Roles");
    StaffUser admin = fx.staff(c.customer(), "admin");
    StaffUser staff = fx.staff(c.customer(), "staff");
    assertRefused(api.put("/api/v1/account/partners/" + c.partnerId() + "/access", staff.token(),
        new JsonObject().put("enabled", false)), 403, "ROLE_FORBIDDEN");
    expect(api.put("/api/v1/account/partners/" + c.partnerId() + "/access", admin.token(),
        new JsonObject().put("enabled", false)), 200);
    assertThat(api.customerOf(c.partner(), c.accountId()).getString("access")).isEqualTo("disabled");
  }

  // ---- R8 -------------------------------------------------------------------------------------

  @Test
  @DisplayName("R8 With access enabled the Customers page offers Log in, which opens the customer's account as the partner")
  void logInWhenEnabled() {
    // R8
    Connected c = fx.connected("R8 Login");
    JsonObject line = api.customerOf(c.partner(), c.accountId());
    assertThat(line.getBoolean("canLogIn")).isTrue();
    assertThat(line.getBoolean("canRequestAccess")).isFalse();
    JsonObject login = expect(fx.logIn(c.partner(), c.accountId()), 201).json();
    assertThat(login.getString("accountId")).isEqualTo(c.accountId());
    assertThat(login.getString("businessName")).isEqualTo("R8 Login Ltd");
    JsonObject account = expect(api.get("/api/v1/account", login.getString("token")), 200).json();
    assertThat(account.getString("id")).isEqualTo(c.accountId());
    assertThat(account.getJsonObject("you").getString("role")).isEqualTo("partner");
    assertThat(account.getJsonObject("you").getString("partnerId")).isEqualTo(c.partnerId());

    expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
    JsonObject off = api.customerOf(c.partner(), c.accountId());
    assertThat(off.getBoolean("canLogIn")).isFalse();
    assertThat(off.getBoolean("canRequestAccess")).isTrue();
  }

  @Test
  @DisplayName("R8 A partner cannot log in to a customer it is not connected to")
  void noLogInWithoutConnection() {
    // R8
    PartnerUser partner = api.signUpPartner("R8 Outsider");
    Customer customer = api.signUpCustomer("Private Pottery", null);
    assertRefused(fx.logIn(partner, customer.accountId()), 403, "NOT_CONNECTED");
    assertRefused(fx.logIn(partner, RuleFixtures.randomId()), 403, "NOT_CONNECTED");
    assertRefused(api.get("/api/v1/account", partner.token()), 403, "ACCOUNT_SCOPE_REQUIRED");
  }
}
