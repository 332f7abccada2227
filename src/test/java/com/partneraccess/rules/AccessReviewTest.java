package com.partneraccess.rules;

import com.partneraccess.rules.RuleFixtures.Connected;
import com.partneraccess.rules.RuleFixtures.StaffUser;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.TestApp;
import com.partneraccess.support.TestSmtp;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.partneraccess.rules.RuleFixtures.assertRefused;
import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Access reviews every 90 days (R30)")
class AccessReviewTest extends RuleTestBase {

  private static JsonObject sweep(ApiClient client, double days) {
    return expect(client.post("/api/v1/test/clock", null, new JsonObject().put("days", days).put("sweep", true)), 200)
        .json();
  }

  private static List<JsonObject> reviews(ApiClient client, Customer owner) {
    return expect(client.get("/api/v1/account/reviews", owner.token()), 200).array("reviews").stream()
        .map(o -> (JsonObject) o).toList();
  }

  private static JsonObject review(ApiClient client, Customer owner, String id) {
    return expect(client.get("/api/v1/account/reviews/" + id, owner.token()), 200).json();
  }

  private static JsonObject item(JsonObject review, String partnerId) {
    return review.getJsonArray("items").stream().map(o -> (JsonObject) o)
        .filter(i -> partnerId.equals(i.getString("partnerId"))).findFirst().orElseThrow();
  }

  private static Reply answer(ApiClient client, Customer owner, String reviewId, String partnerId, String decision) {
    return client.post("/api/v1/account/reviews/" + reviewId + "/partners/" + partnerId, owner.token(),
        new JsonObject().put("decision", decision));
  }

  /** A customer with two partners: one that logs in now and then, one that never uses its access. */
  private record TwoPartners(Customer owner, PartnerUser busy, PartnerUser idle) {}

  private TwoPartners twoPartners(RuleFixtures f, ApiClient client, String name) {
    Connected c = f.connected(name);
    PartnerUser idle = client.signUpPartner(name + " Idle");
    client.connectByInvite(idle, c.customer());
    return new TwoPartners(c.customer(), c.partner(), idle);
  }

  @Test
  @DisplayName("R30 A review is created 90 days after a partner got access (test clock), once, with a banner; the owner alone sees it")
  void createdAfterNinetyDays() {
    // R30
    Connected c = fx.connected("R30 Created");
    expect(fx.logIn(c.partner(), c.accountId()), 201);
    expect(fx.logIn(c.partner(), c.accountId()), 201);
    sweep(api, 89);
    assertThat(reviews(api, c.customer())).isEmpty();
    JsonObject swept = sweep(api, 1.01);
    assertThat(swept.getJsonObject("reviews").getInteger("created")).isPositive();
    List<JsonObject> list = reviews(api, c.customer());
    assertThat(list).hasSize(1);
    assertThat(list.get(0).getString("status")).isEqualTo("open");
    sweep(api, 0.01);
    assertThat(reviews(api, c.customer())).as("one open review per account").hasSize(1);

    JsonObject review = review(api, c.customer(), list.get(0).getString("id"));
    JsonObject it = item(review, c.partnerId());
    assertThat(it.getString("partnerName")).isEqualTo("R30 Created Partners");
    assertThat(it.getString("lastUsedAt")).isNotNull();
    assertThat(it.getJsonObject("activity").getInteger("partner.login")).isEqualTo(2);
    assertThat(fx.accountBanners(c.customer().token())).extracting(b -> b.getString("kind")).contains("access_review");
    StaffUser admin = fx.staff(c.customer(), "admin");
    assertRefused(api.get("/api/v1/account/reviews", admin.token()), 403, "OWNER_ONLY");
  }

  @Test
  @DisplayName("R30 Partners unused for 30 days or more are marked recommended to disable; a recently used one is not")
  void recommendedToDisable() {
    // R30
    TwoPartners t = twoPartners(fx, api, "R30 Recommend");
    sweep(api, 80);
    expect(fx.logIn(t.busy(), t.owner().accountId()), 201);
    sweep(api, 10.01);
    JsonObject review = review(api, t.owner(), reviews(api, t.owner()).get(0).getString("id"));
    assertThat(review.getInteger("recommended")).isEqualTo(1);
    assertThat(item(review, t.busy().partnerId()).getBoolean("recommendedToDisable")).isFalse();
    assertThat(item(review, t.idle().partnerId()).getBoolean("recommendedToDisable")).isTrue();
    assertThat(item(review, t.idle().partnerId()).getString("lastUsedAt")).isNull();
  }

  @Test
  @DisplayName("R30 Keep leaves access as it is; Disable switches it off through the one disable; all answered closes the review")
  void keepAndDisable() {
    // R30
    TwoPartners t = twoPartners(fx, api, "R30 Answer");
    sweep(api, 90.01);
    String id = reviews(api, t.owner()).get(0).getString("id");

    JsonObject kept = expect(answer(api, t.owner(), id, t.busy().partnerId(), "keep"), 200).json();
    assertThat(kept.getBoolean("reviewClosed")).isFalse();
    assertThat(api.customerOf(t.busy(), t.owner().accountId()).getString("access")).isEqualTo("enabled");
    assertRefused(answer(api, t.owner(), id, t.busy().partnerId(), "disable"), 409, "CONFLICT");
    assertRefused(answer(api, t.owner(), id, t.idle().partnerId(), "maybe"), 400, "VALIDATION_FAILED");

    JsonObject disabled = expect(answer(api, t.owner(), id, t.idle().partnerId(), "disable"), 200).json();
    assertThat(disabled.getBoolean("reviewClosed")).isTrue();
    assertThat(api.customerOf(t.idle(), t.owner().accountId()).getString("access")).isEqualTo("disabled");
    assertRefused(fx.logIn(t.idle(), t.owner().accountId()), 403, "ACCESS_DISABLED");
    assertThat(fx.activity(t.owner())).anySatisfy(a -> {
      assertThat(a.getString("kind")).isEqualTo("access.disabled");
      assertThat(a.getString("summary")).isEqualTo("Disabled access for partner R30 Answer Idle");
    });
    JsonObject review = review(api, t.owner(), id);
    assertThat(review.getString("status")).isEqualTo("answered");
    assertThat(item(review, t.busy().partnerId()).getString("decision")).isEqualTo("keep");
    assertThat(item(review, t.idle().partnerId()).getString("decision")).isEqualTo("disable");
    assertThat(fx.accountBanners(t.owner().token())).extracting(b -> b.getString("kind")).doesNotContain("access_review");
  }

  @Test
  @DisplayName("R30 No answer changes nothing by default: the review lapses after its due window and every partner keeps access")
  void noAnswerChangesNothing() {
    // R30
    TwoPartners t = twoPartners(fx, api, "R30 Silent");
    sweep(api, 90.01);
    String id = reviews(api, t.owner()).get(0).getString("id");
    sweep(api, 14.01);
    JsonObject review = review(api, t.owner(), id);
    assertThat(review.getString("status")).isEqualTo("lapsed");
    assertThat(item(review, t.idle().partnerId()).getString("decision")).isNull();
    assertThat(api.customerOf(t.idle(), t.owner().accountId()).getString("access")).isEqualTo("enabled");
    assertThat(api.customerOf(t.busy(), t.owner().accountId()).getString("access")).isEqualTo("enabled");
    assertRefused(answer(api, t.owner(), id, t.idle().partnerId(), "disable"), 409, "CONFLICT");
    assertThat(api.customerOf(t.idle(), t.owner().accountId()).getString("access")).isEqualTo("enabled");
  }

  @Test
  @DisplayName("R30 With reviews.onNoAnswer = disable, the unanswered partners are disabled when the due window passes; the owner is e-mailed the review")
  void configuredDisableApplies() throws Exception {
    // R30
    TestSmtp smtp = TestSmtp.start();
    try (TestApp other = TestApp.start(RuleFixtures.productConfig().mergeIn(smtp.config())
        .put("reviews", new JsonObject().put("onNoAnswer", "disable").put("dueDays", 7))
        // invites are e-mailed in the request here: room for a slow SMTP round trip on a busy machine
        .put("http", new JsonObject().put("requestTimeoutMillis", 30_000)))) {
      ApiClient client = other.api();
      RuleFixtures f = new RuleFixtures(other);
      TwoPartners t = twoPartners(f, client, "R30 Strict");
      int before = smtp.server.getReceivedMessages().length;
      sweep(client, 90.01);
      String id = reviews(client, t.owner()).get(0).getString("id");

      assertThat(smtp.server.waitForIncomingEmail(5_000, before + 1)).isTrue();
      MimeMessage mail = smtp.server.getReceivedMessages()[smtp.server.getReceivedMessages().length - 1];
      assertThat(mail.getAllRecipients()[0].toString()).isEqualTo(t.owner().email());
      assertThat(mail.getSubject()).isEqualTo("Access review: who may still work in R30 Strict Ltd?");
      assertThat(TestSmtp.text(mail)).contains(other.baseUrl() + "/app/reviews/" + id)
          .contains("R30 Strict Partners").contains("R30 Strict Idle").contains("recommended to disable");

      expect(answer(client, t.owner(), id, t.busy().partnerId(), "keep"), 200);
      sweep(client, 7.01);
      JsonObject review = review(client, t.owner(), id);
      assertThat(review.getString("status")).isEqualTo("lapsed");
      assertThat(item(review, t.idle().partnerId()).getString("decision")).isEqualTo("disable");
      assertThat(client.customerOf(t.idle(), t.owner().accountId()).getString("access")).isEqualTo("disabled");
      assertThat(client.customerOf(t.busy(), t.owner().accountId()).getString("access")).isEqualTo("enabled");
    } finally {
      smtp.stop();
    }
  }
}
