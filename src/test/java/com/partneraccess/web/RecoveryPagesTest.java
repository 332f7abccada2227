package com.partneraccess.web;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.MailServiceTest;
import com.partneraccess.support.TestSmtp;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Account recovery, settings, invites that behave and the page details of issue 12, over plain HTTP. */
@DisplayName("Pages: password reset, settings, invites and page details")
class RecoveryPagesTest extends MailServiceTest {
  private static final String PASSWORD = "password-123";

  private static Browserless browser() {
    return new Browserless(app.baseUrl());
  }

  private static Browserless signedIn(String email) {
    Browserless b = browser();
    b.signIn(email, PASSWORD);
    return b;
  }

  private static String mailedToken(int before, String to, String path) throws Exception {
    String text = mail.awaitText(before, to, path + "?token=");
    Matcher link = Pattern.compile(Pattern.quote(path) + "\\?token=([A-Za-z0-9_-]+)").matcher(text);
    assertThat(link.find()).isTrue();
    return link.group(1);
  }

  @Test
  @DisplayName("Forgot password on the pages: the same answer for any e-mail, the link works once and ends the other sessions")
  void resetOnPages() throws Exception {
    Customer c = api.signUpCustomer("Page Reset Bakery", null);
    Browserless elsewhere = signedIn(c.email());
    Browserless b = browser();
    assertThat(b.get("/signin").body()).contains("href=\"/forgot-password\"");
    b.get("/forgot-password");
    HttpResponse<String> unknown = b.post("/forgot-password", Map.of("email", ApiClient.uniqueEmail("nobody")));
    int before = smtp.getReceivedMessages().length;
    HttpResponse<String> known = b.post("/forgot-password", Map.of("email", c.email()));
    assertThat(unknown.statusCode()).isEqualTo(known.statusCode()).isEqualTo(303);
    assertThat(unknown.headers().firstValue("Location")).isEqualTo(known.headers().firstValue("Location"));
    assertThat(b.open("/signin").body()).contains("If an account uses that email");
    String token = mailedToken(before, c.email(), "/reset-password");

    HttpResponse<String> form = b.get("/reset-password?token=" + token);
    assertThat(form.statusCode()).isEqualTo(200);
    HttpResponse<String> tooShort = b.post("/reset-password", Map.of("token", token, "password", "short"));
    assertThat(tooShort.statusCode()).isEqualTo(400);
    assertThat(tooShort.body()).contains("aria-invalid=\"true\" aria-describedby=\"password-error\"")
        .contains("id=\"password-error\">Password must have at least 8 characters");
    HttpResponse<String> done = b.post("/reset-password", Map.of("token", token, "password", "new-password-456"));
    assertThat(done.statusCode()).isEqualTo(303);
    assertThat(done.headers().firstValue("Location")).contains("/app");
    assertThat(b.open("/app").body()).contains("Your password is changed");
    // the session opened before the reset has ended
    HttpResponse<String> old = elsewhere.get("/app");
    assertThat(old.statusCode()).isEqualTo(303);
    assertThat(old.headers().firstValue("Location").orElse("")).startsWith("/signin");
    HttpResponse<String> again = browser().post("/reset-password", Map.of("token", token, "password", "other-password-789"));
    assertThat(again.statusCode()).isIn(403, 409); // no CSRF cookie yet (403) or the spent link (409): never a change
    Browserless fresh = browser();
    fresh.get("/reset-password?token=" + token);
    HttpResponse<String> spent = fresh.post("/reset-password", Map.of("token", token, "password", "other-password-789"));
    assertThat(spent.statusCode()).isEqualTo(409);
    assertThat(spent.body()).contains("This link was already used");
  }

  @Test
  @DisplayName("Settings: name, password (current one required, error next to its field) and e-mail confirmed by a link")
  void settingsPage() throws Exception {
    Customer c = api.signUpCustomer("Settings Studio", null);
    Browserless b = signedIn(c.email());
    HttpResponse<String> page = b.get("/settings");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains(c.email()).contains("Your name").doesNotContain("Organisation name");

    assertThat(b.post("/settings/name", Map.of("name", "Renamed Person")).statusCode()).isEqualTo(303);
    assertThat(b.open("/settings").body()).contains("Your name is now Renamed Person").contains("<span>Renamed Person</span>");

    HttpResponse<String> wrong = b.post("/settings/password", Map.of("currentPassword", "not-it-at-all",
        "password", "new-password-456"));
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(wrong.body()).contains("aria-invalid=\"true\" aria-describedby=\"currentPassword-error\"")
        .contains("id=\"currentPassword-error\">Current password is not right")
        .doesNotContain("value=\"not-it-at-all\"").doesNotContain("value=\"new-password-456\"");
    assertThat(b.post("/settings/password", Map.of("currentPassword", PASSWORD, "password", "new-password-456"))
        .statusCode()).isEqualTo(303);
    assertThat(b.open("/settings").body()).contains("Your password is changed");
    assertThat(api.get("/api/v1/account", c.token()).status()).as("the other sessions ended").isEqualTo(401);

    String newEmail = ApiClient.uniqueEmail("settings-moved");
    int before = smtp.getReceivedMessages().length;
    HttpResponse<String> badEmail = b.post("/settings/email", Map.of("email", "not-an-email",
        "currentPassword", "new-password-456"));
    assertThat(badEmail.statusCode()).isEqualTo(400);
    assertThat(badEmail.body()).contains("aria-describedby=\"email-error\"").contains("value=\"not-an-email\"");
    assertThat(b.post("/settings/email", Map.of("email", newEmail, "currentPassword", "new-password-456")).statusCode())
        .isEqualTo(303);
    assertThat(b.open("/settings").body()).contains("Waiting for confirmation").contains(newEmail);
    String token = mailedToken(before, newEmail, "/confirm-email");
    assertThat(b.get("/confirm-email?token=" + token).body()).contains("Confirm my new email");
    HttpResponse<String> confirmed = b.post("/confirm-email", Map.of("token", token));
    assertThat(confirmed.statusCode()).isEqualTo(303);
    assertThat(b.open("/settings").body()).contains("Your email is now " + newEmail)
        .contains("You sign in with <strong>" + newEmail);
  }

  @Test
  @DisplayName("A partner renames its organisation on the settings page; the portal navigation links to Settings")
  void partnerOrganisation() {
    PartnerUser partner = api.signUpPartner("Before Rename Partners");
    Browserless b = signedIn(partner.email());
    assertThat(b.get("/partner/customers").body()).contains("href=\"/settings\"");
    assertThat(b.get("/settings").body()).contains("Organisation name").contains("value=\"Before Rename Partners\"");
    HttpResponse<String> empty = b.post("/settings/organisation", Map.of("organisation", ""));
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).contains("aria-describedby=\"organisation-error\"");
    assertThat(b.post("/settings/organisation", Map.of("organisation", "After Rename Partners")).statusCode()).isEqualTo(303);
    assertThat(expect(api.get("/api/v1/me", partner.token()), 200).json().getString("organisation"))
        .isEqualTo("After Rename Partners");
  }

  @Test
  @DisplayName("A rejected sign-up shows each error next to its field with aria-invalid, keeps what was typed, never the password")
  void fieldErrors() {
    Browserless b = browser();
    b.get("/signup");
    HttpResponse<String> r = b.post("/signup", Map.of("businessName", "Kept Field Co", "name", "Kim",
        "email", "kim-field@example.test", "password", "short"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("name=\"password\" required minlength=\"8\" autocomplete=\"new-password\" "
            + "aria-invalid=\"true\" aria-describedby=\"password-error\"")
        .contains("<p class=\"field-error\" id=\"password-error\">Password must have at least 8 characters</p>")
        .contains("value=\"Kept Field Co\"").contains("value=\"kim-field@example.test\"").doesNotContain("value=\"short\"")
        .doesNotContain("class=\"error\" role=\"alert\"");
    // the other fields are not marked
    assertThat(r.body()).doesNotContain("aria-describedby=\"email-error\"");
  }

  @Test
  @DisplayName("R9 An error page keeps the signed-in navigation and says the reason in words, the code in small print")
  void errorPageKeepsNavigation() {
    Customer owner = api.signUpCustomer("Error Nav Owner", null);
    String adminEmail = ApiClient.uniqueEmail("admin");
    expect(api.post("/api/v1/account/staff", owner.token(), new JsonObject().put("name", "Ada Admin")
        .put("email", adminEmail).put("role", "admin").put("password", PASSWORD)), 201);
    Browserless admin = signedIn(adminEmail);
    HttpResponse<String> r = admin.get("/app/subscription");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("<nav aria-label=\"Account\">").contains("href=\"/app/jobs\"")
        .contains("<h1>Only the account owner can do this</h1>").contains("class=\"muted small\">Error 403 (OWNER_ONLY)");

    PartnerUser partner = api.signUpPartner("Error Nav Partners");
    Browserless p = signedIn(partner.email());
    HttpResponse<String> notMine = p.get("/partner/customers/" + java.util.UUID.randomUUID() + "/disconnect");
    assertThat(notMine.statusCode()).isBetween(400, 499);
    assertThat(notMine.body()).contains("<nav aria-label=\"Partner portal\">");
  }

  @Test
  @DisplayName("R6 A referral customer who never enabled access reads Not enabled yet; once turned off it reads Disabled by the customer")
  void notEnabledYet() {
    PartnerUser partner = api.signUpPartner("Referral Words Partners");
    Customer c = api.signUpCustomer("Referred Words Cafe", partner.referralCode());
    Browserless b = signedIn(partner.email());
    String page = b.get("/partner/customers").body();
    assertThat(page).contains("Not enabled yet").doesNotContain("Disabled by the customer");
    api.setAccess(c, partner.partnerId(), true);
    api.setAccess(c, partner.partnerId(), false);
    assertThat(b.get("/partner/customers").body()).contains("Disabled by the customer").doesNotContain("Not enabled yet");
  }

  @Test
  @DisplayName("R16 A pending access request shows its date and the partner can withdraw it; the customer's banner goes")
  void withdrawRequest() {
    PartnerUser partner = api.signUpPartner("Withdrawing Partners");
    Customer c = api.signUpCustomer("Withdrawn Bakery", null);
    api.connectByInvite(partner, c);
    api.setAccess(c, partner.partnerId(), false);
    Browserless b = signedIn(partner.email());
    b.get("/partner/customers");
    assertThat(b.post("/partner/customers/" + c.accountId() + "/request-access", Map.of("reason", "To finish the payroll")).statusCode()).isEqualTo(303);
    assertThat(expect(api.get("/api/v1/account/banners", c.token()), 200).array("banners")).hasSize(1);
    String page = b.open("/partner/customers").body();
    assertThat(page).containsPattern("Access requested on \\d{1,2} [A-Z][a-z]+ \\d{4}").contains("Withdraw request");
    assertThat(expect(api.get("/api/v1/partner/customers", partner.token()), 200).array("customers").getJsonObject(0)
        .getString("pendingRequestAt")).isNotNull();

    HttpResponse<String> withdrawn = b.post("/partner/customers/" + c.accountId() + "/withdraw-request", Map.of());
    assertThat(withdrawn.statusCode()).isEqualTo(303);
    assertThat(b.open("/partner/customers").body()).contains("You withdrew your access request to Withdrawn Bakery")
        .contains("Request access").doesNotContain("Withdraw request");
    assertThat(expect(api.get("/api/v1/account/banners", c.token()), 200).array("banners")).isEmpty();
    assertThat(expect(api.get("/api/v1/account/access-requests", c.token()), 200).array("requests").getJsonObject(0)
        .getString("status")).isEqualTo("cancelled");
    ApiClient.Reply again = api.delete("/api/v1/partner/customers/" + c.accountId() + "/access-requests", partner.token());
    assertThat(again.status()).isEqualTo(404);
  }

  @Test
  @DisplayName("R1 Inviting the same e-mail again resends the pending invite; an expired one shows Expired with Invite again")
  void invitesBehave() {
    PartnerUser partner = api.signUpPartner("Resending Partners");
    String email = ApiClient.uniqueEmail("invitee");
    Browserless b = signedIn(partner.email());
    b.get("/partner/invites/new");
    assertThat(b.post("/partner/invites", Map.of("email", email)).statusCode()).isEqualTo(303);
    assertThat(b.open("/partner/customers").body()).contains("Invite sent to " + email);
    b.get("/partner/invites/new");
    assertThat(b.post("/partner/invites", Map.of("email", email)).statusCode()).isEqualTo(303);
    assertThat(b.open("/partner/customers").body())
        .contains("You had already invited " + email + ", so we sent that invite again instead of making a second one");
    assertThat(expect(api.get("/api/v1/partner/invites", partner.token()), 200).array("invites")).hasSize(1);

    api.advanceClock(15);
    String expired = b.get("/partner/customers").body();
    assertThat(expired).contains("<span class=\"badge badge-expired\">Expired</span>").contains("Invite again")
        .doesNotContain(">Pending<");
    String id = expect(api.get("/api/v1/partner/invites", partner.token()), 200).array("invites").getJsonObject(0).getString("id");
    assertThat(b.post("/partner/invites/" + id + "/resend", Map.of()).statusCode()).isEqualTo(303);
    assertThat(b.open("/partner/customers").body()).contains("Invite sent again").contains(">Pending<")
        .doesNotContain("Invite again");

    api.advanceClock(15);
    b.get("/partner/invites/new");
    b.post("/partner/invites", Map.of("email", email));
    assertThat(b.open("/partner/customers").body()).contains("Your earlier invite to " + email
        + " had expired, so we sent that same invite again");
    assertThat(expect(api.get("/api/v1/partner/invites", partner.token()), 200).array("invites")).hasSize(1);
  }

  @Test
  @DisplayName("R9 Before accepting, the owner sees what the partner can and cannot do; the e-mail links to that page")
  void ownerReviewsInvite() throws Exception {
    PartnerUser partner = api.signUpPartner("Reviewed Partners");
    Customer owner = api.signUpCustomer("Reviewing Bakery", null);
    int before = smtp.getReceivedMessages().length;
    String inviteId = expect(api.post("/api/v1/partner/invites", partner.token(),
        new JsonObject().put("accountId", owner.accountId())), 201).json().getString("id");
    String link = app.baseUrl() + "/app/invites/" + inviteId;
    assertThat(mail.awaitText(before, owner.email(), link)).contains(link);

    // following the link signed out: sign in first, then straight to the invite
    Browserless b = browser();
    HttpResponse<String> first = b.get("/app/invites/" + inviteId);
    assertThat(first.statusCode()).isEqualTo(303);
    String signin = first.headers().firstValue("Location").orElseThrow();
    assertThat(signin).startsWith("/signin?next=");
    b.get(signin);
    HttpResponse<String> in = b.post("/signin", Map.of("email", owner.email(), "password", PASSWORD,
        "next", "/app/invites/" + inviteId));
    assertThat(in.headers().firstValue("Location")).contains("/app/invites/" + inviteId);
    String review = b.open("/app/invites/" + inviteId).body();
    assertThat(review).contains("If you accept, Reviewed Partners can").contains("See and create jobs")
        .contains("Reviewed Partners can never").contains("Read the activity history")
        .contains("See or change your subscription").contains("Change the account owner").contains("Cancel the account")
        .contains("100 jobs").contains("60 days after they last used it");
    assertThat(review.indexOf("Read the activity history")).isGreaterThan(review.indexOf("can never"));
    assertThat(review.indexOf("See and create jobs")).isLessThan(review.indexOf("can never"));
    assertThat(b.post("/app/invites/" + inviteId + "/accept", Map.of()).statusCode()).isEqualTo(303);
    assertThat(b.open("/app/invites").body()).contains("Accepted: Reviewed Partners is connected");
    assertThat(AuthPages.safeNext("//evil.example/x")).isNull();
    assertThat(AuthPages.safeNext("https://evil.example/")).isNull();
    assertThat(AuthPages.safeNext("/\\evil.example")).isNull();
  }

  @Test
  @DisplayName("The owner's settings are grouped under Settings; prices carry their currency; the disconnect wizard says the reason is shared")
  void ownerSettingsAndDetails() {
    PartnerUser partner = api.signUpPartner("Shared Reason Partners");
    Customer owner = api.signUpCustomer("Grouped Settings Co", null);
    api.connectByInvite(partner, owner);
    Browserless b = signedIn(owner.email());
    String dash = b.get("/app").body();
    String nav = dash.substring(dash.indexOf("<nav aria-label=\"Account\">"), dash.indexOf("</nav>"));
    assertThat(nav).contains("href=\"/app/settings\"").doesNotContain("/app/subscription").doesNotContain("/app/cancel")
        .doesNotContain("/app/owner").doesNotContain("/app/account/login-details");
    // seven short entries fit one line at 1,280 px; access reviews (R30) live under Settings with the other owner-only pages
    assertThat(nav.split("<li>").length - 1).isLessThanOrEqualTo(7);
    String settings = b.get("/app/settings").body();
    assertThat(settings).contains("href=\"/app/subscription\"").contains("href=\"/app/owner\"")
        .contains("href=\"/app/cancel\"").contains("href=\"/app/account/login-details\"").contains("href=\"/settings\"");
    assertThat(b.get("/app/subscription").body()).containsPattern("\\d+\\.\\d{2} USD per month");
    assertThat(browser().get("/signup").body()).containsPattern("\\(\\d+\\.\\d{2} USD a month\\)");
    String wizard = b.get("/app/partners/" + partner.partnerId() + "/disconnect").body();
    assertThat(wizard).contains("Shared Reason Partners is told that you disconnected them and sees the reason you write here");
    HttpResponse<String> gone = b.post("/app/partners/" + partner.partnerId() + "/disconnect", Map.of("reason", "moving on"));
    assertThat(gone.statusCode()).isEqualTo(303);
    assertThat(b.open("/app/staff").body()).contains("class=\"flash flash-danger\"");
    assertThat(dash).contains("<link rel=\"icon\" href=\"/static/favicon.svg\"");
    HttpResponse<String> icon = b.get("/static/favicon.svg");
    assertThat(icon.statusCode()).isEqualTo(200);
    assertThat(icon.body()).startsWith("<svg");
  }
}
