package com.partneraccess.web;

import com.partneraccess.rules.RuleFixtures;
import com.partneraccess.rules.RuleFixtures.StaffUser;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** The partner directory's pages without a browser: Find a partner, Contact me, Directory listing and Leads. */
@DisplayName("Partner directory pages: Find a partner, Contact me, Directory listing, Leads")
class DirectoryPagesTest {
  static TestApp app;
  static ApiClient api;
  static RuleFixtures fx;

  @BeforeAll
  static void start() {
    app = TestApp.start(RuleFixtures.productConfig());
    api = app.api();
    fx = new RuleFixtures(app);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static String unique(String name) {
    return name + " " + UUID.randomUUID().toString().substring(0, 8);
  }

  static PartnerUser listed(String name, String region) {
    PartnerUser p = api.signUpPartner(name);
    expect(api.put("/api/v1/partner/listing", p.token(), new JsonObject().put("listed", true).put("region", region)
        .put("services", new JsonArray().add("bookkeeping")).put("description", "Books for " + region)), 200);
    return p;
  }

  static Browserless as(String email) {
    Browserless b = new Browserless(app.baseUrl());
    b.signIn(email, RuleFixtures.PASSWORD);
    return b;
  }

  @Test
  @DisplayName("Contact me on the page confirms in words; a second lead to the same partner is 429 with Retry-After and a sentence")
  void contactMeOnThePage() {
    String region = unique("Kendal");
    String org = unique("Lakeland Books");
    PartnerUser p = listed(org, region);
    Customer owner = api.signUpCustomer(unique("Fell Cafe"), null);
    Browserless b = as(owner.email());

    HttpResponse<String> found = b.get("/app/partners/directory?region=" + URLEncoder.encode(region, StandardCharsets.UTF_8)
        + "&service=bookkeeping");
    assertThat(found.statusCode()).isEqualTo(200);
    assertThat(found.body()).contains(org).contains("Bookkeeping").contains("Bronze")
        .contains("/app/partners/directory/" + p.partnerId() + "/contact");
    assertThat(b.get("/app/partners/directory?service=astrology").statusCode()).isEqualTo(400);

    String form = "/app/partners/directory/" + p.partnerId() + "/contact";
    assertThat(b.get(form).statusCode()).isEqualTo(200);
    HttpResponse<String> empty = b.post(form, Map.of("message", " "));
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).contains("Your message is required");

    HttpResponse<String> sent = b.post(form, Map.of("message", "Please call us about bookkeeping"));
    assertThat(sent.statusCode()).isEqualTo(303);
    assertThat(b.open(sent.headers().firstValue("Location").orElseThrow()).body())
        .contains("We sent your request to " + org).contains(owner.email());

    HttpResponse<String> again = b.post(form, Map.of("message", "Hello again"));
    assertThat(again.statusCode()).isEqualTo(429);
    assertThat(again.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
    assertThat(again.body()).contains("You already asked " + org + " to contact you on")
        .contains("they have not handled it yet").contains("Hello again");
    assertThat(again.body()).as("dates read as words").doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T");
  }

  @Test
  @DisplayName("The partner saves its listing on its page; an incomplete listing is refused with a sentence")
  void listingPage() {
    PartnerUser p = api.signUpPartner(unique("Listing Page Partners"));
    Browserless b = as(p.email());
    HttpResponse<String> page = b.get("/partner/listing");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Not listed").contains("Bronze");

    HttpResponse<String> incomplete = b.post("/partner/listing", Map.of("listed", "true", "services", "tax"));
    assertThat(incomplete.statusCode()).isEqualTo(400);
    assertThat(incomplete.body()).contains("The region is required to be listed");

    String region = unique("Whitby");
    HttpResponse<String> saved = b.post("/partner/listing", Map.of("listed", "true", "region", region,
        "services", "tax", "description", "Tax returns by the sea"));
    assertThat(saved.statusCode()).isEqualTo(303);
    HttpResponse<String> after = b.open("/partner/listing");
    assertThat(after.body()).contains("Your listing is saved").contains(">Listed<").contains(region)
        .contains("Tax returns by the sea");
    JsonObject api1 = expect(api.get("/api/v1/partner/listing", p.token()), 200).json();
    assertThat(api1.getJsonArray("services")).containsExactly("tax");
  }

  @Test
  @DisplayName("The Leads page lists a lead; Mark handled and Invite to connect confirm in words")
  void leadsPage() {
    String region = unique("Ripon");
    PartnerUser p = listed(unique("Ripon Ledgers"), region);
    String business = unique("Market Deli");
    Customer owner = api.signUpCustomer(business, null);
    expect(api.post("/api/v1/account/partner-directory/" + p.partnerId() + "/leads", owner.token(),
        new JsonObject().put("message", "Year-end help please")), 201);
    String leadId = expect(api.get("/api/v1/partner/leads", p.token()), 200).json().getJsonArray("leads")
        .getJsonObject(0).getString("id");

    Browserless b = as(p.email());
    HttpResponse<String> leads = b.get("/partner/leads");
    assertThat(leads.statusCode()).isEqualTo(200);
    assertThat(leads.body()).contains(business).contains("Year-end help please").contains(owner.email())
        .contains("Mark handled");

    HttpResponse<String> handled = b.post("/partner/leads/" + leadId + "/handled", Map.of());
    assertThat(handled.headers().firstValue("Location")).hasValue("/partner/leads");
    assertThat(b.open("/partner/leads").body()).contains("The lead from " + business + " is handled")
        .doesNotContain("Mark handled: ");

    HttpResponse<String> invited = b.post("/partner/leads/" + leadId + "/invite", Map.of());
    assertThat(invited.headers().firstValue("Location")).hasValue("/partner/customers#invites");
    assertThat(b.open("/partner/customers").body()).contains("Invite sent to " + business);
    // inviting again sends the pending invite again (R1); the owner still decides (R2)
    HttpResponse<String> twice = b.post("/partner/leads/" + leadId + "/invite", Map.of());
    assertThat(twice.statusCode()).isEqualTo(303);
    assertThat(b.open("/partner/customers").body()).contains("Your pending invite to " + business + " was sent again");
    assertThat(expect(api.get("/api/v1/account/partner-invites", owner.token()), 200).json().getJsonArray("invites"))
        .hasSize(1);
  }

  @Test
  @DisplayName("Find a partner is in the navigation of owners and admins, not of staff or a partner inside the account")
  void navigation() {
    Customer owner = api.signUpCustomer(unique("Nav Shop"), null);
    StaffUser admin = fx.staff(owner, "admin");
    StaffUser staff = fx.staff(owner, "staff");
    String link = "href=\"/app/partners/directory\"";
    assertThat(as(owner.email()).get("/app").body()).contains(link);
    assertThat(as(admin.email()).get("/app").body()).contains(link);
    assertThat(as(staff.email()).get("/app").body()).doesNotContain(link);

    PartnerUser p = api.signUpPartner(unique("Nav Partners"));
    api.connectByInvite(p, owner);
    Browserless partner = as(p.email());
    assertThat(partner.get("/partner/customers").body()).contains("href=\"/partner/listing\"").contains("href=\"/partner/leads\"");
    partner.post("/partner/customers/" + owner.accountId() + "/login", Map.of());
    assertThat(partner.get("/app").body()).doesNotContain(link);
    HttpResponse<String> refused = partner.get("/app/partners/directory");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("(CUSTOMER_ONLY)");
  }
}
