package com.partneraccess.web;

import com.partneraccess.connections.CustomerQuery;
import com.partneraccess.jobs.JobQuery;
import com.partneraccess.rules.RuleFixtures;
import com.partneraccess.rules.RuleFixtures.StaffUser;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.ServiceTest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The five places where the JSON API and the pages used to answer the same request differently, each done
 * through both interfaces: now both call the same feature service, so the answers agree.
 */
@DisplayName("One home per operation: the API and the pages give the same answer")
class OneHomeDriftTest extends ServiceTest {
  static RuleFixtures fx;

  @BeforeAll
  static void fixtures() {
    fx = new RuleFixtures(app);
  }

  private static Browserless signedIn(String email) {
    Browserless b = new Browserless(app.baseUrl());
    b.signIn(email, RuleFixtures.PASSWORD);
    return b;
  }

  @Test
  @DisplayName("R2 An admin reads the account's partner invites through the API and on the page; only the owner accepts")
  void adminReadsPartnerInvitesOnBoth() {
    Customer owner = api.signUpCustomer("Drift Invites", null);
    StaffUser admin = fx.staff(owner, "admin");
    PartnerUser partner = api.signUpPartner("Drift Inviter");
    String inviteId = fx.invite(partner, owner.accountId());

    Reply viaApi = expect(api.get("/api/v1/account/partner-invites", admin.token()), 200);
    assertThat(viaApi.array("invites")).hasSize(1);
    Browserless page = signedIn(admin.email());
    HttpResponse<String> viaPage = page.get("/app/invites");
    assertThat(viaPage.statusCode()).isEqualTo(200);
    assertThat(viaPage.body()).contains("Drift Inviter").contains("Only the account owner can accept or decline");

    RuleFixtures.assertRefused(api.post("/api/v1/account/partner-invites/" + inviteId + "/accept", admin.token(), null),
        403, "OWNER_ONLY");
    HttpResponse<String> accept = page.post("/app/invites/" + inviteId + "/accept", Map.of());
    assertThat(accept.statusCode()).isEqualTo(403);
    assertThat(accept.body()).contains("(OWNER_ONLY)");
  }

  @Test
  @DisplayName("R17 Staff are refused the account's banners through the API and the page's JSON alike")
  void staffBannersRefusedOnBoth() {
    RuleFixtures.Connected c = fx.connected("Drift Banners");
    expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
    fx.requestAccessId(c.partner(), c.accountId());
    StaffUser staff = fx.staff(c.customer(), "staff");

    RuleFixtures.assertRefused(api.get("/api/v1/account/banners", staff.token()), 403, "ROLE_FORBIDDEN");
    Browserless page = signedIn(staff.email());
    HttpResponse<String> json = page.get("/app/banners.json");
    assertThat(json.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(json.body()).getString("reason")).isEqualTo("ROLE_FORBIDDEN");
    // the dashboard simply does not offer them to staff
    assertThat(page.get("/app").body()).doesNotContain("has requested access");
  }

  @Test
  @DisplayName("R12 At most 500 jobs per request through the API and the Jobs page; nothing is created beyond it")
  void jobQuantityLimitOnBoth() {
    Customer owner = api.signUpCustomer("Drift Jobs", null);
    RuleFixtures.assertRefused(api.post("/api/v1/account/jobs", owner.token(),
        new JsonObject().put("title", "Too many").put("quantity", 501)), 400, "VALIDATION_FAILED");
    Browserless page = signedIn(owner.email());
    page.get("/app/jobs");
    HttpResponse<String> viaPage = page.post("/app/jobs", Map.of("title", "Too many", "quantity", "1000"));
    assertThat(viaPage.statusCode()).isEqualTo(400);
    assertThat(viaPage.body()).contains("Quantity must be between 1 and 500");
    assertThat(expect(api.get("/api/v1/account", owner.token()), 200).json().getInteger("jobCount")).isZero();

    expect(api.post("/api/v1/account/jobs", owner.token(), new JsonObject().put("title", "Many").put("quantity", 500)), 201);
    page.get("/app/jobs");
    assertThat(page.post("/app/jobs", Map.of("title", "Many more", "quantity", "500")).statusCode()).isEqualTo(303);
    assertThat(expect(api.get("/api/v1/account", owner.token()), 200).json().getInteger("jobCount")).isEqualTo(1000);
  }

  @Test
  @DisplayName("R16 A cancelled account cannot be asked for access: the API's list and the Customers page agree, and asking is refused on both")
  void cancelledAccountRequestOnBoth() {
    RuleFixtures.Connected c = fx.connected("Drift Cancelled");
    expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
    expect(api.post("/api/v1/account/cancel", c.customer().token(), new JsonObject().put("reason", "closing")), 200);

    JsonObject line = api.customerOf(c.partner(), c.accountId());
    assertThat(line.getBoolean("canRequestAccess")).isFalse();
    assertThat(line.getBoolean("canLogIn")).isFalse();
    Browserless page = signedIn(c.partner().email());
    HttpResponse<String> customers = page.get("/partner/customers");
    assertThat(customers.body()).contains("Account cancelled")
        .doesNotContain("/partner/customers/" + c.accountId() + "/request-access");

    RuleFixtures.assertRefused(fx.requestAccess(c.partner(), c.accountId()), 403, "ACCOUNT_CANCELLED");
    HttpResponse<String> viaPage = page.post("/partner/customers/" + c.accountId() + "/request-access",
        Map.of("reason", "drift check"));
    assertThat(viaPage.statusCode()).isEqualTo(303);
    assertThat(page.open(viaPage.headers().firstValue("Location").orElseThrow()).body()).contains("cancelled its account");
    assertThat(expect(api.get("/api/v1/account/access-requests", c.customer().token()), 200).array("requests")).isEmpty();
  }

  @Test
  @DisplayName("R18 A disconnect or cancel reason over 500 characters is refused through the API and the pages; nothing changes")
  void reasonLimitOnBoth() {
    String tooLong = "x".repeat(501);
    RuleFixtures.Connected c = fx.connected("Drift Reasons");
    RuleFixtures.assertRefused(fx.disconnectByCustomer(c.customer(), c.partnerId(), tooLong), 400, "VALIDATION_FAILED");
    Browserless owner = signedIn(c.customer().email());
    owner.get("/app/partners/" + c.partnerId() + "/disconnect");
    HttpResponse<String> disconnect = owner.post("/app/partners/" + c.partnerId() + "/disconnect",
        Map.of("reason", "y".repeat(8_000)));
    // the wizard comes back with the reason in words and what was typed, so nothing is lost
    assertThat(disconnect.statusCode()).isEqualTo(400);
    assertThat(disconnect.body()).contains("The reason is too long (at most 500 characters)").contains("y".repeat(8_000));
    assertThat(expect(api.get("/api/v1/account/staff", c.customer().token()), 200).array("partners")).hasSize(1);

    Browserless partner = signedIn(c.partner().email());
    partner.get("/partner/customers/" + c.accountId() + "/disconnect");
    HttpResponse<String> leave = partner.post("/partner/customers/" + c.accountId() + "/disconnect",
        Map.of("reason", "z".repeat(8_000)));
    assertThat(leave.statusCode()).isEqualTo(400);
    assertThat(leave.body()).contains("The reason is too long (at most 500 characters)");
    assertThat(expect(api.get("/api/v1/account/staff", c.customer().token()), 200).array("partners")).hasSize(1);

    RuleFixtures.assertRefused(api.post("/api/v1/account/cancel", c.customer().token(),
        new JsonObject().put("reason", tooLong)), 400, "VALIDATION_FAILED");
    owner.get("/app/cancel");
    HttpResponse<String> cancel = owner.post("/app/cancel", Map.of("confirm", "yes", "reason", "w".repeat(8_000)));
    assertThat(cancel.statusCode()).isEqualTo(400);
    assertThat(cancel.body()).contains("The reason is too long (at most 500 characters)");
    assertThat(expect(api.get("/api/v1/account", c.customer().token()), 200).json().getString("status")).isEqualTo("active");
  }

  @Test
  @DisplayName("R4 The lists' limits are the services': 100 customers a page and a 100-character search, 500 jobs, through the API and the pages alike, as openapi.yaml says")
  void listLimitsOnBoth() throws Exception {
    PartnerUser partner = api.signUpPartner("Drift Lists");
    expect(api.get("/api/v1/partner/customers?limit=" + CustomerQuery.PAGE_MAX, partner.token()), 200);
    RuleFixtures.assertRefused(api.get("/api/v1/partner/customers?limit=" + (CustomerQuery.PAGE_MAX + 1),
        partner.token()), 400, "VALIDATION_FAILED");
    RuleFixtures.assertRefused(api.get("/api/v1/partner/customers?q=" + "x".repeat(CustomerQuery.SEARCH_MAX + 1),
        partner.token()), 400, "VALIDATION_FAILED");
    RuleFixtures.assertRefused(api.get("/api/v1/partner/customers?filter=nope", partner.token()), 400, "VALIDATION_FAILED");

    Browserless page = signedIn(partner.email());
    assertThat(page.get("/partner/customers?limit=" + CustomerQuery.PAGE_MAX).statusCode()).isEqualTo(200);
    HttpResponse<String> tooMany = page.get("/partner/customers?limit=" + (CustomerQuery.PAGE_MAX + 1));
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(tooMany.body()).contains("limit must be between 1 and " + CustomerQuery.PAGE_MAX);
    HttpResponse<String> longSearch = page.get("/partner/customers?q=" + "x".repeat(CustomerQuery.SEARCH_MAX + 1));
    assertThat(longSearch.statusCode()).isEqualTo(400);
    assertThat(longSearch.body()).contains("The search is too long (at most " + CustomerQuery.SEARCH_MAX + " characters)");
    assertThat(page.get("/partner/customers?filter=nope").statusCode()).isEqualTo(400);

    Customer owner = api.signUpCustomer("Drift List Jobs", null);
    RuleFixtures.assertRefused(api.get("/api/v1/account/jobs?limit=" + (JobQuery.PAGE_MAX + 1), owner.token()), 400,
        "VALIDATION_FAILED");
    Browserless ownerPage = signedIn(owner.email());
    HttpResponse<String> jobs = ownerPage.get("/app/jobs?limit=" + (JobQuery.PAGE_MAX + 1));
    assertThat(jobs.statusCode()).isEqualTo(400);
    assertThat(jobs.body()).contains("limit must be between 1 and " + JobQuery.PAGE_MAX);

    // the contract API clients read states the same maximums the service enforces
    String yaml;
    try (var in = OneHomeDriftTest.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
      yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    String customers = yaml.substring(yaml.indexOf("operationId: listCustomers"));
    customers = customers.substring(0, customers.indexOf("operationId:", 10));
    assertThat(customers).contains("maximum: " + CustomerQuery.PAGE_MAX + " }")
        .contains("maxLength: " + CustomerQuery.SEARCH_MAX + " }");
    String jobsOp = yaml.substring(yaml.indexOf("operationId: listJobs"));
    assertThat(jobsOp.substring(0, jobsOp.indexOf("operationId:", 10))).contains("maximum: " + JobQuery.PAGE_MAX + " }");
  }
}
