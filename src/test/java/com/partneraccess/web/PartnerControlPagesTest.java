package com.partneraccess.web;

import com.partneraccess.identity.Sha256;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.MailServiceTest;
import com.partneraccess.support.TestSmtp;
import com.partneraccess.support.TestSql;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The customer stays in control, through the pages and the e-mailed links (R24, R25)")
class PartnerControlPagesTest extends MailServiceTest {
  private static final String PASSWORD = "password-123";

  /** The link of the next e-mail to {@code to}: the path and query matching {@code pattern}. */
  private static String linkIn(int before, String to, String pattern) throws Exception {
    return mail.awaitMatch(before, to, "(" + pattern + ")");
  }

  @Test
  @DisplayName("R25 A partner hands over from its Customers page; the owner claims with its own password from the e-mailed one-time link; no disconnect before")
  void handoverFromThePages() throws Exception {
    PartnerUser partner = api.signUpPartner("R25 Pages Partner");
    Browserless p = new Browserless(app.baseUrl());
    p.signIn(partner.email(), PASSWORD);
    HttpResponse<String> form = p.get("/partner/customers/new");
    assertThat(form.body()).doesNotContain("ownerPassword");
    HttpResponse<String> added = p.post("/partner/customers/new", Map.of("businessName", "Claimable Cafe"));
    assertThat(added.statusCode()).isEqualTo(303);
    String accountId = ApiClient.expect(api.get("/api/v1/partner/customers", partner.token()), 200).json()
        .getJsonArray("customers").getJsonObject(0).getString("accountId");
    assertThat(p.open("/partner/customers").body()).contains("/partner/customers/" + accountId + "/handover")
        .contains("Awaiting handover");

    // R25: no disconnect before the handover, on the API and the page
    ApiClient.Reply leave = api.call("DELETE", "/api/v1/partner/customers/" + accountId, partner.token(), null);
    assertThat(leave.status()).isEqualTo(409);
    assertThat(leave.reason()).isEqualTo("HANDOVER_PENDING");
    p.get("/partner/customers/" + accountId + "/disconnect");
    HttpResponse<String> leavePage = p.post("/partner/customers/" + accountId + "/disconnect", Map.of("reason", "bye"));
    // the page answers as its other refusals do: back to the Customers page with the reason
    assertThat(leavePage.statusCode()).isEqualTo(303);
    assertThat(p.open(leavePage.headers().firstValue("Location").orElseThrow()).body()).contains("hand it over first");
    assertThat(api.customerOf(partner, accountId)).isNotNull();

    // a password the partner chose is refused
    String email = ApiClient.uniqueEmail("claimer");
    p.get("/partner/customers/" + accountId + "/handover");
    HttpResponse<String> withPassword = p.post("/partner/customers/" + accountId + "/handover",
        Map.of("ownerName", "Clara Claimer", "ownerEmail", email, "ownerPassword", PASSWORD));
    assertThat(withPassword.statusCode()).isEqualTo(400);
    assertThat(withPassword.body()).contains("a partner never chooses it");

    int before = smtp.getReceivedMessages().length;
    HttpResponse<String> handedOver = p.post("/partner/customers/" + accountId + "/handover",
        Map.of("ownerName", "Clara Claimer", "ownerEmail", email));
    assertThat(handedOver.statusCode()).isEqualTo(303);
    assertThat(p.open("/partner/customers").body()).contains("We emailed " + email);
    String link = linkIn(before, email, "/claim\\?token=[A-Za-z0-9_-]+");
    String token = link.substring("/claim?token=".length());
    try (TestSql sql = new TestSql(app.databaseUrl)) {
      // kept only hashed
      assertThat(sql.count("SELECT count(*) FROM owner_claims WHERE token_hash = $1", token)).isZero();
      assertThat(sql.count("SELECT count(*) FROM owner_claims WHERE token_hash = $1", Sha256.hex(token))).isOne();
    }

    Browserless o = new Browserless(app.baseUrl());
    assertThat(o.get(link).body()).contains("Claim your account");
    HttpResponse<String> claimed = o.post("/claim", Map.of("token", token, "password", "clara-chose-this"));
    assertThat(claimed.statusCode()).isEqualTo(303);
    assertThat(o.open("/app").body()).contains("you are the owner of this account now");
    String ownerToken = api.token(email, "clara-chose-this");
    assertThat(ApiClient.expect(api.get("/api/v1/account", ownerToken), 200).json().getJsonObject("you")
        .getString("role")).isEqualTo("owner");

    // single use
    Browserless again = new Browserless(app.baseUrl());
    again.get(link);
    HttpResponse<String> reused = again.post("/claim", Map.of("token", token, "password", "another-pass"));
    assertThat(reused.statusCode()).isEqualTo(409);

    // after the handover the partner may leave
    assertThat(p.open("/partner/customers").body()).doesNotContain("/partner/customers/" + accountId + "/handover");
    assertThat(api.call("DELETE", "/api/v1/partner/customers/" + accountId, partner.token(), null).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("R25 A claim link expires, and a new handover replaces the old link")
  void claimLinkExpiresAndIsReplaced() throws Exception {
    PartnerUser partner = api.signUpPartner("R25 Expiry Partner");
    String email = ApiClient.uniqueEmail("late-owner");
    int before = smtp.getReceivedMessages().length;
    JsonObject created = ApiClient.expect(api.post("/api/v1/partner/customers", partner.token(), new JsonObject()
        .put("businessName", "Late Lodge").put("owner", new JsonObject().put("name", "Lee Late").put("email", email))), 201).json();
    assertThat(created.getJsonObject("handover").getBoolean("emailSent")).isTrue();
    String first = linkIn(before, email, "/claim\\?token=[A-Za-z0-9_-]+").substring("/claim?token=".length());
    before = smtp.getReceivedMessages().length;
    ApiClient.expect(api.post("/api/v1/partner/customers/" + created.getString("accountId") + "/owner", partner.token(),
        new JsonObject().put("name", "Lee Late").put("email", email)), 201);
    String second = linkIn(before, email, "/claim\\?token=[A-Za-z0-9_-]+").substring("/claim?token=".length());
    assertThat(api.post("/api/v1/owner-claims/accept", null, new JsonObject().put("token", first)
        .put("password", "lee-chose-this")).status()).isEqualTo(404);
    api.advanceClock(15);
    ApiClient.Reply late = api.post("/api/v1/owner-claims/accept", null, new JsonObject().put("token", second)
        .put("password", "lee-chose-this"));
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.reason()).isEqualTo("INVITE_EXPIRED");
  }

  @Test
  @DisplayName("R24 On the Staff page a partner invites staff by e-mail only; the owner sees 'added by <partner>' and confirms them")
  void partnerAddsStaffFromThePages() throws Exception {
    Customer owner = api.signUpCustomer("R24 Pages Bakery", null);
    PartnerUser partner = api.signUpPartner("R24 Pages Partner");
    api.connectByInvite(partner, owner);
    Browserless p = new Browserless(app.baseUrl());
    p.signIn(partner.email(), PASSWORD);
    p.get("/partner/customers");
    assertThat(p.post("/partner/customers/" + owner.accountId() + "/login", Map.of()).statusCode()).isEqualTo(303);
    HttpResponse<String> staffPage = p.get("/app/staff");
    assertThat(staffPage.body()).contains("Add a staff member").doesNotContain("name=\"password\"")
        .doesNotContain("value=\"admin\"");

    String email = ApiClient.uniqueEmail("page-hire");
    HttpResponse<String> refused = p.post("/app/staff", Map.of("name", "Pat Hire", "email", email, "role", "staff",
        "password", PASSWORD));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("never sets a user");

    int before = smtp.getReceivedMessages().length;
    assertThat(p.post("/app/staff", Map.of("name", "Pat Hire", "email", email, "role", "staff")).statusCode()).isEqualTo(303);
    String link = linkIn(before, email, "/staff-invite\\?token=[A-Za-z0-9_-]+");
    ApiClient.Reply joined = ApiClient.expect(api.post("/api/v1/staff-invites/accept", null, new JsonObject()
        .put("token", link.substring("/staff-invite?token=".length())).put("password", "pat-chose-this")), 201);
    String userId = joined.json().getString("userId");

    Browserless o = new Browserless(app.baseUrl());
    o.signIn(owner.email(), PASSWORD);
    HttpResponse<String> ownersView = o.get("/app/staff");
    assertThat(ownersView.body()).contains("added by R24 Pages Partner").contains("/app/staff/" + userId + "/confirm");
    assertThat(o.post("/app/staff/" + userId + "/confirm", Map.of()).statusCode()).isEqualTo(303);
    assertThat(o.open("/app/staff").body()).contains("Confirmed Pat Hire")
        .doesNotContain("/app/staff/" + userId + "/confirm");
  }
}
