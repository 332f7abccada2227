package com.partneraccess.directory;

import com.partneraccess.rules.RuleFixtures;
import com.partneraccess.rules.RuleFixtures.StaffUser;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.TestApp;
import com.partneraccess.support.TestSmtp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static com.partneraccess.rules.RuleFixtures.assertRefused;
import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The partner directory (issue 12 item 7): a partner's listing, Find a partner (search by region and service, paged,
 * only opted-in partners, tier badge, connected marker), Contact me (a lead the partner sees and is e-mailed), the
 * limits on leads, and that the directory never connects a partner (R1: the partner invites, the owner accepts, R2).
 */
@DisplayName("Partner directory: listings, Find a partner, Contact me and leads")
class DirectoryTest {
  static TestSmtp mail;
  static TestApp app;
  static ApiClient api;
  static RuleFixtures fx;

  @BeforeAll
  static void start() {
    mail = TestSmtp.start();
    app = TestApp.start(RuleFixtures.productConfig().mergeIn(mail.config()));
    api = app.api();
    fx = new RuleFixtures(app);
  }

  @AfterAll
  static void stop() {
    app.close();
    mail.stop();
  }

  /** A region name no other test uses, so searches of one test see only its own partners. */
  static String region(String name) {
    return name + " " + UUID.randomUUID().toString().substring(0, 8);
  }

  static JsonObject listing(boolean listed, String region, String description, String... services) {
    return new JsonObject().put("listed", listed).put("region", region).put("description", description)
        .put("services", new JsonArray(Arrays.asList(services)));
  }

  static PartnerUser listedPartner(String name, String region, String... services) {
    PartnerUser p = api.signUpPartner(name);
    expect(api.put("/api/v1/partner/listing", p.token(), listing(true, region, name + " helps small firms", services)), 200);
    return p;
  }

  static JsonObject search(String token, String query) {
    return expect(api.get("/api/v1/account/partner-directory" + query, token), 200).json();
  }

  static List<String> names(JsonObject page) {
    List<String> out = new ArrayList<>();
    page.getJsonArray("partners").forEach(p -> out.add(((JsonObject) p).getString("organisation")));
    return out;
  }

  static Reply contact(String token, String partnerId, String message) {
    return api.post("/api/v1/account/partner-directory/" + partnerId + "/leads", token,
        new JsonObject().put("message", message));
  }

  static JsonArray leads(PartnerUser partner) {
    return expect(api.get("/api/v1/partner/leads?limit=100", partner.token()), 200).json().getJsonArray("leads");
  }

  @Test
  @DisplayName("A partner edits its listing: opting in needs a region, a service and a description; the tier badge is its own")
  void listingEdit() {
    PartnerUser p = api.signUpPartner("Listing Editors");
    JsonObject fresh = expect(api.get("/api/v1/partner/listing", p.token()), 200).json();
    assertThat(fresh.getBoolean("listed")).isFalse();
    assertThat(fresh.getString("organisation")).isEqualTo("Listing Editors");
    assertThat(fresh.getJsonArray("services")).isEmpty();

    assertRefused(api.put("/api/v1/partner/listing", p.token(), listing(true, null, "We help", "tax")), 400,
        "VALIDATION_FAILED");
    assertRefused(api.put("/api/v1/partner/listing", p.token(), listing(true, "Leeds", "We help")), 400,
        "VALIDATION_FAILED");
    assertRefused(api.put("/api/v1/partner/listing", p.token(), listing(true, "Leeds", "We help", "astrology")), 400,
        "VALIDATION_FAILED");
    assertRefused(api.put("/api/v1/partner/listing", p.token(), listing(true, "Leeds", "x".repeat(501), "tax")), 400,
        "VALIDATION_FAILED");

    JsonObject saved = expect(api.put("/api/v1/partner/listing", p.token(),
        listing(true, "  Leeds  ", "Payroll and tax for cafes", "tax", "payroll", "tax")), 200).json();
    assertThat(saved.getBoolean("listed")).isTrue();
    assertThat(saved.getString("region")).isEqualTo("Leeds");
    assertThat(saved.getJsonArray("services")).as("each tag once, in the fixed order").containsExactly("payroll", "tax");
    String profileTier = expect(api.get("/api/v1/partner/profile", p.token()), 200).json().getString("tier");
    assertThat(saved.getString("tier")).isEqualTo(profileTier).isEqualTo("Bronze");
    assertThat(expect(api.get("/api/v1/partner/listing", p.token()), 200).json()).isEqualTo(saved);

    // opting out keeps what was written
    JsonObject out = expect(api.put("/api/v1/partner/listing", p.token(), saved.copy().put("listed", false)), 200).json();
    assertThat(out.getBoolean("listed")).isFalse();
    assertThat(out.getString("description")).isEqualTo("Payroll and tax for cafes");
  }

  @Test
  @DisplayName("Find a partner searches by region (part, any case) and service, and shows only partners that opted in")
  void searchByRegionAndService() {
    String area = region("Bristol");
    PartnerUser taxes = listedPartner("Avon Taxes", area + " North", "tax", "payroll");
    PartnerUser books = listedPartner("Brunel Books", area + " South", "bookkeeping");
    PartnerUser shy = api.signUpPartner("Shy Advisors");
    expect(api.put("/api/v1/partner/listing", shy.token(), listing(false, area, "Not listed", "tax")), 200);
    api.signUpPartner("Never Listed " + area);
    Customer owner = api.signUpCustomer("Searching Cafe", null);

    assertThat(names(search(owner.token(), "?region=" + enc(area.toUpperCase())))).containsExactly("Avon Taxes", "Brunel Books");
    assertThat(names(search(owner.token(), "?region=" + enc(area + " north")))).containsExactly("Avon Taxes");
    assertThat(names(search(owner.token(), "?region=" + enc(area) + "&service=bookkeeping"))).containsExactly("Brunel Books");
    assertThat(names(search(owner.token(), "?region=" + enc(area) + "&service=payroll"))).containsExactly("Avon Taxes");
    assertThat(names(search(owner.token(), "?region=" + enc(area) + "&service=training"))).isEmpty();
    // a LIKE wildcard is a character like any other
    assertThat(names(search(owner.token(), "?region=" + enc("%" + area.substring(8))))).isEmpty();
    // and a value that looks like an escape is searched as sent (it was decoded twice: "%7b" became "{", a JSON error)
    assertThat(names(search(owner.token(), "?region=" + enc("%7b" + area.substring(8))))).isEmpty();

    JsonObject entry = search(owner.token(), "?region=" + enc(area) + "&service=payroll").getJsonArray("partners").getJsonObject(0);
    assertThat(entry.getString("partnerId")).isEqualTo(taxes.partnerId());
    assertThat(entry.getString("region")).isEqualTo(area + " North");
    assertThat(entry.getJsonArray("services")).containsExactly("payroll", "tax");
    assertThat(entry.getString("tier")).isEqualTo("Bronze");
    assertThat(entry.getBoolean("connected")).isFalse();

    // nobody that did not opt in, on any page of the whole directory
    List<String> all = new ArrayList<>();
    for (int page = 1; ; page++) {
      JsonObject p = search(owner.token(), "?limit=50&page=" + page);
      all.addAll(names(p));
      if (!p.getBoolean("hasMore")) {
        break;
      }
    }
    assertThat(all).contains("Avon Taxes", "Brunel Books").doesNotContain("Shy Advisors", "Never Listed " + area);
    assertRefused(api.get("/api/v1/account/partner-directory?service=astrology", owner.token()), 400, "VALIDATION_FAILED");
    assertThat(books.partnerId()).isNotEqualTo(taxes.partnerId());
  }

  @Test
  @DisplayName("The directory is paged by organisation name, at most 50 a page")
  void pagination() {
    String area = region("Pagetown");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      String name = "Page Partner " + (char) ('G' - i);
      listedPartner(name, area, "setup");
      expected.add(name);
    }
    expected.sort(String::compareTo);
    Customer owner = api.signUpCustomer("Paging Shop", null);
    List<String> seen = new ArrayList<>();
    List<Boolean> more = new ArrayList<>();
    for (int page = 1; page <= 3; page++) {
      JsonObject p = search(owner.token(), "?region=" + enc(area) + "&limit=3&page=" + page);
      assertThat(p.getInteger("page")).isEqualTo(page);
      assertThat(p.getInteger("limit")).isEqualTo(3);
      seen.addAll(names(p));
      more.add(p.getBoolean("hasMore"));
    }
    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(more).containsExactly(true, true, false);
    assertThat(names(search(owner.token(), "?region=" + enc(area) + "&limit=3&page=4"))).isEmpty();
    assertThat(search(owner.token(), "?region=" + enc(area)).getInteger("limit")).as("the default page size").isEqualTo(20);
    assertRefused(api.get("/api/v1/account/partner-directory?limit=51", owner.token()), 400, "VALIDATION_FAILED");
    assertRefused(api.get("/api/v1/account/partner-directory?page=0", owner.token()), 400, "VALIDATION_FAILED");
  }

  @Test
  @DisplayName("Contact me sends the partner a lead with the business, name, e-mail and message; it sees it and is e-mailed")
  void contactMeCreatesALead() throws Exception {
    String area = region("Leadville");
    PartnerUser partner = listedPartner("Lead Finders", area, "training");
    Customer owner = api.signUpCustomer("Lead Bakery", null);
    int before = mail.server.getReceivedMessages().length;

    Reply sent = expect(contact(owner.token(), partner.partnerId(), "  We need help with payroll for 6 people.  "), 201);
    assertThat(sent.json().getString("partnerName")).isEqualTo("Lead Finders");

    JsonArray list = leads(partner);
    assertThat(list).hasSize(1);
    JsonObject lead = list.getJsonObject(0);
    assertThat(lead.getString("businessName")).isEqualTo("Lead Bakery");
    assertThat(lead.getString("contactName")).isEqualTo("Lead Bakery owner");
    assertThat(lead.getString("contactEmail")).isEqualTo(owner.email());
    assertThat(lead.getString("message")).isEqualTo("We need help with payroll for 6 people.");
    assertThat(lead.getString("accountId")).isEqualTo(owner.accountId());
    assertThat(lead.getBoolean("handled")).isFalse();

    await().atMost(java.time.Duration.ofSeconds(10)).until(() -> mail.server.getReceivedMessages().length > before);
    MimeMessage m = Arrays.stream(mail.server.getReceivedMessages())
        .filter(x -> recipient(x).equals(partner.email())).findFirst().orElseThrow();
    assertThat(m.getSubject()).isEqualTo("Lead Bakery asked Lead Finders to contact them");
    assertThat(TestSmtp.text(m)).contains("We need help with payroll for 6 people.").contains(owner.email())
        .contains(app.baseUrl() + "/partner/leads");
    assertThat(TestSmtp.html(m)).contains("Lead Bakery").contains("mailto:" + owner.email());

    // an admin may contact too; staff and a partner inside the account may not (the table says so)
    StaffUser admin = fx.staff(owner, "admin");
    StaffUser staff = fx.staff(owner, "staff");
    PartnerUser other = listedPartner("Admin Found", area, "tax");
    expect(contact(admin.token(), other.partnerId(), "Hello from the admin"), 201);
    assertThat(leads(other).getJsonObject(0).getString("contactEmail")).isEqualTo(admin.email());
    assertRefused(contact(staff.token(), other.partnerId(), "Hello"), 403, "ROLE_FORBIDDEN");
    assertRefused(api.get("/api/v1/account/partner-directory", staff.token()), 403, "ROLE_FORBIDDEN");

    // the message is required and bounded
    PartnerUser third = listedPartner("Bounded Words", area, "tax");
    assertThat(contact(owner.token(), third.partnerId(), "   ").status()).isEqualTo(400);
    assertThat(contact(owner.token(), third.partnerId(), "x".repeat(1001)).status()).isEqualTo(400);
    assertThat(leads(third)).isEmpty();
    // a partner that is not listed cannot be contacted
    PartnerUser unlisted = api.signUpPartner("Unlisted Firm");
    assertRefused(contact(owner.token(), unlisted.partnerId(), "Hello"), 404, "NOT_FOUND");
  }

  private static String recipient(MimeMessage m) {
    try {
      return m.getAllRecipients()[0].toString();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName("Leads are limited per account: one open lead per partner and 5 in 24 hours, refused with 429 and Retry-After")
  void rateLimits() {
    String area = region("Limitburgh");
    Customer owner = api.signUpCustomer("Eager Shop", null);
    List<PartnerUser> partners = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      partners.add(listedPartner("Limit Partner " + i, area, "tax"));
    }
    expect(contact(owner.token(), partners.get(0).partnerId(), "First"), 201);
    Reply again = contact(owner.token(), partners.get(0).partnerId(), "Second");
    assertRefused(again, 429, "TOO_MANY_ATTEMPTS");
    assertThat(Long.parseLong(again.header("Retry-After"))).isBetween(1L, 86_400L);
    assertThat(again.json().getString("detail")).contains("Limit Partner 0").contains("not handled it yet");

    // once the partner has handled it, the customer may ask again
    String leadId = leads(partners.get(0)).getJsonObject(0).getString("id");
    JsonObject handled = expect(api.post("/api/v1/partner/leads/" + leadId + "/handled", partners.get(0).token(), null), 200).json();
    assertThat(handled.getBoolean("handled")).isTrue();
    expect(api.post("/api/v1/partner/leads/" + leadId + "/handled", partners.get(0).token(), null), 200);
    expect(contact(owner.token(), partners.get(0).partnerId(), "Second, after the first was handled"), 201);

    for (int i = 1; i <= 3; i++) {
      expect(contact(owner.token(), partners.get(i).partnerId(), "Hello " + i), 201);
    }
    Reply sixth = contact(owner.token(), partners.get(4).partnerId(), "One too many");
    assertRefused(sixth, 429, "TOO_MANY_ATTEMPTS");
    long retry = Long.parseLong(sixth.header("Retry-After"));
    assertThat(retry).isBetween(86_000L, 86_401L);
    assertThat(sixth.json().getString("detail")).contains("5 partners").contains("last 24 hours");
    assertThat(leads(partners.get(4))).as("a refused lead is not stored").isEmpty();
    // another account has its own allowance
    Customer neighbour = api.signUpCustomer("Calm Shop", null);
    expect(contact(neighbour.token(), partners.get(4).partnerId(), "Hello from next door"), 201);

    // a day later the window has moved on
    api.advanceClock(1.01);
    expect(contact(owner.token(), partners.get(5).partnerId(), "A day later"), 201);
    // a lead the partner has still not handled keeps refusing, and still says to come back in a day, not at once
    Reply stillOpen = contact(owner.token(), partners.get(1).partnerId(), "Anyone there?");
    assertRefused(stillOpen, 429, "TOO_MANY_ATTEMPTS");
    assertThat(Long.parseLong(stillOpen.header("Retry-After"))).isEqualTo(86_400L);
  }

  @Test
  @DisplayName("A partner sees only its own leads, newest first in pages, and cannot handle or invite from another's")
  void leadsArePrivateAndPaged() {
    String area = region("Privacy");
    PartnerUser mine = listedPartner("Own Leads", area, "tax");
    PartnerUser theirs = listedPartner("Other Leads", area, "tax");
    List<String> businesses = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Customer c = api.signUpCustomer("Paged Customer " + i, null);
      expect(contact(c.token(), mine.partnerId(), "Lead " + i), 201);
      businesses.add(0, "Paged Customer " + i);
    }
    Customer other = api.signUpCustomer("Other's Customer", null);
    expect(contact(other.token(), theirs.partnerId(), "Not yours"), 201);

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = expect(api.get("/api/v1/partner/leads?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
          mine.token()), 200).json();
      page.getJsonArray("leads").forEach(l -> seen.add(((JsonObject) l).getString("businessName")));
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null);
    assertThat(seen).as("newest first, each once").containsExactlyElementsOf(businesses);
    assertThat(pages).isEqualTo(3);
    assertRefused(api.get("/api/v1/partner/leads?cursor=bogus", mine.token()), 400, "VALIDATION_FAILED");
    assertRefused(api.get("/api/v1/partner/leads?limit=101", mine.token()), 400, "VALIDATION_FAILED");

    String theirLead = leads(theirs).getJsonObject(0).getString("id");
    assertRefused(api.post("/api/v1/partner/leads/" + theirLead + "/handled", mine.token(), null), 404, "NOT_FOUND");
    assertRefused(api.post("/api/v1/partner/leads/" + theirLead + "/invite", mine.token(), null), 404, "NOT_FOUND");
    assertThat(leads(theirs).getJsonObject(0).getBoolean("handled")).isFalse();
    assertRefused(api.get("/api/v1/partner/leads", other.token()), 403, "PARTNER_ONLY");
  }

  @Test
  @DisplayName("R1 R2 A customer never connects a partner from the directory: the partner invites from the lead, the owner accepts")
  void customerCannotConnectFromTheDirectory() {
    String area = region("Consent");
    PartnerUser partner = listedPartner("Careful Partners", area, "setup");
    Customer owner = api.signUpCustomer("Consenting Florist", null);
    StaffUser admin = fx.staff(owner, "admin");
    expect(contact(admin.token(), partner.partnerId(), "Please help us set up"), 201);

    // contacting connects nothing, on either side
    assertThat(expect(api.get("/api/v1/account/staff", owner.token()), 200).json().getJsonArray("partners")).isEmpty();
    assertThat(api.customerOf(partner, owner.accountId())).isNull();
    assertRefused(api.post("/api/v1/partner/customers/" + owner.accountId() + "/sessions", partner.token(), null), 403,
        "NOT_CONNECTED");

    // the partner invites from the lead: the ordinary invite by account; the lead is handled
    String leadId = leads(partner).getJsonObject(0).getString("id");
    Reply invited = expect(api.post("/api/v1/partner/leads/" + leadId + "/invite", partner.token(), null), 201);
    assertThat(invited.json().getJsonObject("lead").getBoolean("handled")).isTrue();
    String inviteId = invited.json().getJsonObject("invite").getString("id");
    assertThat(api.customerOf(partner, owner.accountId())).as("not connected before the owner accepts").isNull();
    // R2: only the owner accepts; an admin (who sent the lead) cannot
    assertRefused(api.post("/api/v1/account/partner-invites/" + inviteId + "/accept", admin.token(), null), 403,
        "OWNER_ONLY");
    expect(api.post("/api/v1/account/partner-invites/" + inviteId + "/accept", owner.token(), null), 200);
    assertThat(api.customerOf(partner, owner.accountId())).isNotNull();

    // now the directory marks it connected, and Contact me is refused for a connected partner
    JsonObject entry = search(owner.token(), "?region=" + enc(area)).getJsonArray("partners").getJsonObject(0);
    assertThat(entry.getBoolean("connected")).isTrue();
    assertRefused(contact(owner.token(), partner.partnerId(), "Again"), 409, "ALREADY_CONNECTED");
    // a partner inside the account may not use the directory (the customer's decision)
    String session = api.session(partner, owner.accountId());
    assertRefused(api.get("/api/v1/account/partner-directory", session), 403, "CUSTOMER_ONLY");
    assertRefused(contact(session, partner.partnerId(), "Self-serve"), 403, "CUSTOMER_ONLY");
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("The lead e-mail is worded by its templates; the HTML part escapes what the customer wrote")
  void leadMailTemplates() {
    Lead lead = new Lead(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "Fish & Chips <Ltd>", "Sam Sole",
        "sam@example.test", "Help with <b>payroll</b>\nplease", "2026-03-03T10:15:30Z", null);
    com.partneraccess.mail.MailTemplates.Rendered m = com.partneraccess.mail.MailTemplates.load()
        .render(LeadMail.TEMPLATE, LeadMail.model(lead, "Dales Payroll", "https://pa.example"));
    assertThat(m.subject()).isEqualTo("Fish & Chips <Ltd> asked Dales Payroll to contact them");
    assertThat(m.text()).contains("Sam Sole of Fish & Chips <Ltd> found Dales Payroll in the partner directory")
        .contains("E-mail: sam@example.test").contains("Sent on 3 March 2026.")
        .contains("Help with <b>payroll</b>\nplease").contains("https://pa.example/partner/leads");
    assertThat(m.html()).contains("Fish &amp; Chips &lt;Ltd&gt;").contains("Help with &lt;b&gt;payroll&lt;/b&gt;")
        .doesNotContain("<b>payroll</b>").contains("<a href=\"https://pa.example/partner/leads\">");
  }

  @Test
  @DisplayName("The demo data lists the demo partner and a second partner, which a demo customer without a partner finds")
  void demoDataListsTwoPartners() {
    try (TestApp demo = TestApp.start(RuleFixtures.productConfig().put("demo", new JsonObject().put("enabled", true)))) {
      ApiClient client = demo.api();
      String dune = client.token("owner@dune.test", "demo-password");
      JsonObject page = expect(client.get("/api/v1/account/partner-directory?region=leeds", dune), 200).json();
      assertThat(names(page)).containsExactly("Northwind Advisors", "Pennine Books");
      String acme = client.token("owner@acme.test", "demo-password");
      JsonObject seenByAcme = expect(client.get("/api/v1/account/partner-directory?service=payroll", acme), 200).json();
      assertThat(seenByAcme.getJsonArray("partners").getJsonObject(0).getBoolean("connected"))
          .as("Acme is the demo partner's customer").isTrue();
      String partner2 = client.token("partner2@demo.test", "demo-password");
      assertThat(expect(client.get("/api/v1/partner/listing", partner2), 200).json().getBoolean("listed")).isTrue();
    }
  }
}
