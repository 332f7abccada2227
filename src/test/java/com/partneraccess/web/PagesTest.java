package com.partneraccess.web;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ServiceTest;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The pages, over plain HTTP: sessions, CSRF, headers, escaping, refusals in words")
class PagesTest extends ServiceTest {
  private static Browserless browser() {
    return new Browserless(app.baseUrl());
  }

  @Test
  @DisplayName("Pages carry the security headers, the session cookie is HttpOnly and SameSite, and sign-out ends it")
  void headersAndSession() {
    PartnerUser partner = api.signUpPartner("Header Partners");
    Browserless b = browser();
    HttpResponse<String> page = b.get("/signin");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("script-src 'self'").contains("style-src 'self'").contains("frame-ancestors 'none'")
        // scripts connect only to this origin: not ws: or wss: to any host
        .contains("connect-src 'self' ws://localhost:" + app.port + ";");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(page.body()).doesNotContain("<script>").doesNotContain("style=");

    b.get("/signin");
    HttpResponse<String> signIn = b.post("/signin", Map.of("email", partner.email(), "password", "password-123"));
    assertThat(signIn.statusCode()).isEqualTo(303);
    List<String> setCookies = signIn.headers().allValues("set-cookie");
    assertThat(setCookies).anySatisfy(c -> assertThat(c).startsWith("pa_session=").containsIgnoringCase("HttpOnly")
        .containsIgnoringCase("SameSite=Lax"));
    HttpResponse<String> customers = b.open("/partner/customers");
    assertThat(customers.statusCode()).isEqualTo(200);
    assertThat(customers.body()).contains("Signed in as");

    HttpResponse<String> out = b.post("/signout", Map.of());
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().allValues("set-cookie")).anySatisfy(c -> assertThat(c).startsWith("pa_session=")
        .contains("Max-Age=0"));
    HttpResponse<String> after = b.get("/partner/customers");
    assertThat(after.statusCode()).isEqualTo(303);
    // to sign in, and back to the page asked for afterwards
    assertThat(after.headers().firstValue("Location")).contains("/signin?next=%2Fpartner%2Fcustomers");
  }

  @Test
  @DisplayName("A form posted without the CSRF token is refused with a sentence and changes nothing")
  void csrf() {
    Customer customer = api.signUpCustomer("Csrf Bakery", null);
    Browserless b = browser();
    b.signIn(customer.email(), "password-123");
    b.get("/app/jobs");
    HttpResponse<String> forged = b.postRaw("/app/jobs", Map.of("title", "Forged", "quantity", "5"));
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("did not come from this site");
    HttpResponse<String> wrong = b.postRaw("/app/jobs", Map.of("title", "Forged", "quantity", "5", "_csrf", "nope"));
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(api.get("/api/v1/account", customer.token()).json().getInteger("jobCount")).isZero();
    HttpResponse<String> real = b.post("/app/jobs", Map.of("title", "Real", "quantity", "2"));
    assertThat(real.statusCode()).isEqualTo(303);
    assertThat(b.open("/app/jobs").body()).contains("Created 2 jobs");
    assertThat(api.get("/api/v1/account", customer.token()).json().getInteger("jobCount")).isEqualTo(2);
  }

  @Test
  @DisplayName("Output is escaped: a business name with markup is shown as text")
  void escaping() {
    PartnerUser partner = api.signUpPartner("Escape Partners");
    Browserless b = browser();
    b.signIn(partner.email(), "password-123");
    b.get("/partner/customers/new");
    HttpResponse<String> add = b.post("/partner/customers/new",
        Map.of("businessName", "<script>alert(1)</script> & \"Co\"", "plan", "standard"));
    assertThat(add.statusCode()).isEqualTo(303);
    String html = b.open("/partner/customers").body();
    assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;")
        .doesNotContain("<script>alert(1)");
  }

  @Test
  @DisplayName("A rejected form keeps what was typed (except the password) and says why")
  void formsKeepInput() {
    api.signUpCustomer("Taken Email Ltd", null);
    Browserless b = browser();
    b.get("/signup");
    HttpResponse<String> shortPw = b.post("/signup", Map.of("businessName", "Kept Business", "name", "Kim",
        "email", "kim@example.test", "password", "short"));
    assertThat(shortPw.statusCode()).isEqualTo(400);
    assertThat(shortPw.body()).contains("value=\"Kept Business\"").contains("value=\"kim@example.test\"")
        .contains("Password must have at least 8 characters").doesNotContain("value=\"short\"");

    HttpResponse<String> badRef = b.post("/signup", Map.of("businessName", "Ref Business", "name", "Kim",
        "email", ApiClient.uniqueEmail("kim"), "password", "password-123", "ref", "NOSUCHCODE"));
    assertThat(badRef.statusCode()).isEqualTo(422);
    assertThat(badRef.body()).contains("NOSUCHCODE").contains("value=\"Ref Business\"");
  }

  @Test
  @DisplayName("R9: a partner inside an account is refused the owner-only pages with words; GET never changes state")
  void partnerInsideRefusals() {
    PartnerUser partner = api.signUpPartner("Inside Partners");
    Customer customer = api.signUpCustomer("Inside Plumbing", null);
    api.connectByInvite(partner, customer);
    Browserless b = browser();
    b.signIn(partner.email(), "password-123");
    b.get("/partner/customers");
    HttpResponse<String> login = b.post("/partner/customers/" + customer.accountId() + "/login", Map.of());
    assertThat(login.statusCode()).isEqualTo(303);
    HttpResponse<String> dash = b.open("/app");
    assertThat(dash.body()).contains("You are in <strong>Inside Plumbing</strong> as <strong>Inside Partners</strong>")
        .doesNotContain("/app/activity").doesNotContain("/app/subscription").doesNotContain("/app/cancel");
    for (String path : List.of("/app/activity", "/app/subscription", "/app/cancel", "/app/owner")) {
      HttpResponse<String> r = b.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(403);
      assertThat(r.body()).as(path).contains("partners never can");
    }
    // Partner invites are the customer's own business: its owner and admins see them, a partner never does.
    HttpResponse<String> invites = b.get("/app/invites");
    assertThat(invites.statusCode()).isEqualTo(403);
    assertThat(invites.body()).contains("Only the customer&#39;s owner or admins can do this");
    // R7: once the customer disables access, the partner's next page request is refused, in words.
    api.setAccess(customer, partner.partnerId(), false);
    HttpResponse<String> refused = b.get("/app/jobs");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("Inside Plumbing has disabled your access");
    assertThat(b.get("/app/requests/" + java.util.UUID.randomUUID() + "/approve").statusCode()).isIn(404, 405);
  }

  @Test
  @DisplayName("Every partner and customer page renders for its users")
  void everyPageRenders() {
    PartnerUser partner = api.signUpPartner("Render Partners");
    Customer customer = api.signUpCustomer("Render Cafe", partner.referralCode());
    Browserless p = browser();
    p.signIn(partner.email(), "password-123");
    for (String path : List.of("/partner/customers", "/partner/customers/new", "/partner/invites/new",
        "/partner/badges", "/partner/commission", "/partner/commission?month=2020-01",
        "/partner/customers/" + customer.accountId() + "/disconnect")) {
      assertThat(p.get(path).statusCode()).as(path).isEqualTo(200);
    }
    assertThat(p.get("/partner/commission?month=nonsense").statusCode()).isEqualTo(400);
    Browserless c = browser();
    assertThat(c.signIn(customer.email(), "password-123")).isEqualTo("/app");
    for (String path : List.of("/app", "/app/jobs", "/app/staff", "/app/account/login-details", "/app/activity",
        "/app/subscription", "/app/cancel", "/app/owner", "/app/invites",
        "/app/partners/" + partner.partnerId() + "/disconnect")) {
      assertThat(c.get(path).statusCode()).as(path).isEqualTo(200);
    }
    // the lists show their rows' contents, not empty cells
    api.createJobs(customer.token(), 2);
    assertThat(c.get("/app/jobs").body()).contains("Job #1").contains("Job #2");
    assertThat(c.get("/app/staff").body()).contains("Render Cafe owner").contains(customer.email()).contains("Owner");
    assertThat(c.get("/app/subscription").body()).contains("<strong id=\"plan\">Standard</strong> (active)")
        .contains("value=\"standard\" checked");
    api.setAccess(customer, partner.partnerId(), true);
    assertThat(p.get("/partner/commission").body()).contains("Render Cafe");
    HttpResponse<String> json = c.get("/app/banners.json");
    assertThat(json.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    assertThat(new JsonObject(json.body()).getJsonArray("banners")).isNotNull();
    assertThat(c.get("/no/such/page").statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("R27 The header counts unread notifications; the centre shows them escaped, marks them read and saves e-mail choices")
  void notificationCentre() {
    PartnerUser partner = api.signUpPartner("<b>Loud</b> Partners");
    Customer customer = api.signUpCustomer("Quiet Bakery", null);
    api.connectByInvite(partner, customer);
    ApiClient.expect(api.setAccess(customer, partner.partnerId(), false), 200);
    Browserless owner = browser();
    owner.signIn(customer.email(), "password-123");
    HttpResponse<String> dashboard = owner.open("/app");
    // one unread: the partner's invitation
    assertThat(dashboard.body()).contains("id=\"notification-unread-count\">1<");
    HttpResponse<String> centre = owner.open("/notifications");
    assertThat(centre.statusCode()).isEqualTo(200);
    assertThat(centre.body()).contains("&lt;b&gt;Loud&lt;/b&gt; Partners invited you to connect your account")
        .doesNotContain("<b>Loud</b>");
    assertThat(owner.post("/notifications/read-all", Map.of()).statusCode()).isEqualTo(303);
    HttpResponse<String> after = owner.open("/notifications");
    assertThat(after.body()).contains("Marked 1 notification as read").contains("Nothing unread.");

    Browserless p = browser();
    p.signIn(partner.email(), "password-123");
    HttpResponse<String> prefs = p.open("/notifications/preferences");
    assertThat(prefs.body()).contains("name=\"email_request_denied\" value=\"on\" checked");
    // unticking every box turns every e-mail off
    assertThat(p.post("/notifications/preferences", Map.of()).statusCode()).isEqualTo(303);
    HttpResponse<String> saved = p.open("/notifications/preferences");
    assertThat(saved.body()).contains("Your notification settings are saved")
        .doesNotContain("name=\"email_request_denied\" value=\"on\" checked");
    assertThat(api.get("/api/v1/notifications/preferences", partner.token()).json().getJsonArray("preferences").stream()
        .map(o -> ((JsonObject) o).getBoolean("email")).distinct().toList()).containsExactly(false);
    assertThat(p.open("/notifications?cursor=nonsense").statusCode()).isEqualTo(400);
  }
}
