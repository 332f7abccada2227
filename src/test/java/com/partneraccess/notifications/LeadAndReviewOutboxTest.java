package com.partneraccess.notifications;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.partneraccess.rules.RuleFixtures;
import com.partneraccess.rules.RuleFixtures.Connected;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.TestApp;
import com.partneraccess.support.TestSmtp;
import com.partneraccess.support.TestSql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Lead e-mails (the partner directory's Contact me) and access review e-mails (R30) go through the e-mail outbox like
 * notifications: written in the transaction of the change, sent once by the relay after it commits, never for a change
 * that rolled back, and retried while the SMTP server refuses. The SMTP server (GreenMail) is stopped and started
 * again; the relay polls every 50 ms and retries after 100 ms, doubled up to 400 ms, at most 20 attempts.
 * The review test moves the test clock 90 days on, so it runs last.
 */
@DisplayName("Lead and access review e-mails go through the transactional outbox")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeadAndReviewOutboxTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  static int smtpPort;
  static volatile GreenMail smtp;
  static TestApp app;
  static ApiClient api;
  static RuleFixtures fx;
  static TestSql sql;

  @BeforeAll
  static void start() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      smtpPort = s.getLocalPort();
    }
    startSmtp();
    app = MailOutboxTest.appWithOutbox(smtpPort, 20);
    api = app.api();
    fx = new RuleFixtures(app);
    sql = new TestSql(app.databaseUrl);
  }

  @AfterAll
  static void stop() {
    sql.close();
    app.close();
    smtp.stop();
  }

  private static void startSmtp() {
    smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
  }

  private static List<MimeMessage> mailTo(String email, String subject) {
    return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
      try {
        return m.getAllRecipients()[0].toString().equals(email) && m.getSubject().equals(subject);
      } catch (MessagingException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  /** The outbox rows of one user with one template: status, attempts, last error. */
  private static List<JsonObject> outboxOf(String userId, String template) {
    List<JsonObject> out = new ArrayList<>();
    sql.query("SELECT status, attempts, last_error FROM mail_outbox WHERE user_id = $1 AND template = $2",
            UUID.fromString(userId), template)
        .forEach(r -> out.add(new JsonObject().put("status", r.getString("status")).put("attempts", r.getInteger("attempts"))
            .put("lastError", r.getString("last_error"))));
    return out;
  }

  /** Once the row is sent, exactly one message arrived (the relay never sends a sent row again). */
  private static void sentOnce(String userId, String template, String email, String subject) {
    await().atMost(WAIT).until(() -> outboxOf(userId, template).stream().anyMatch(r -> "sent".equals(r.getString("status"))));
    assertThat(outboxOf(userId, template)).singleElement()
        .satisfies(r -> assertThat(r.getString("status")).isEqualTo("sent"));
    await().atMost(WAIT).until(() -> !mailTo(email, subject).isEmpty());
    assertThat(mailTo(email, subject)).hasSize(1);
  }

  private static PartnerUser listedPartner(String name) {
    PartnerUser p = api.signUpPartner(name);
    expect(api.put("/api/v1/partner/listing", p.token(), new JsonObject().put("listed", true)
        .put("region", name + " " + UUID.randomUUID().toString().substring(0, 8))
        .put("description", name + " helps small firms").put("services", new JsonArray().add("payroll"))), 200);
    return p;
  }

  private static ApiClient.Reply contact(Customer owner, PartnerUser partner) {
    return api.post("/api/v1/account/partner-directory/" + partner.partnerId() + "/leads", owner.token(),
        new JsonObject().put("message", "Please help us with payroll."));
  }

  private static int leadCount(PartnerUser partner) {
    return expect(api.get("/api/v1/partner/leads?limit=100", partner.token()), 200).json().getJsonArray("leads").size();
  }

  @Test
  @Order(1)
  @DisplayName("A committed lead is e-mailed to the partner once, through the outbox, with the site's link")
  void leadCommittedIsSentOnce() throws Exception {
    PartnerUser partner = listedPartner("Outbox Lead Partners");
    Customer owner = api.signUpCustomer("Outbox Lead Bakery", null);
    JsonObject sent = expect(contact(owner, partner), 201).json();
    assertThat(sent.getString("partnerName")).isEqualTo("Outbox Lead Partners");
    String subject = "Outbox Lead Bakery asked Outbox Lead Partners to contact them";
    sentOnce(partner.userId(), "lead", partner.email(), subject);
    MimeMessage m = mailTo(partner.email(), subject).get(0);
    assertThat(TestSmtp.text(m)).contains("Please help us with payroll.").contains(app.baseUrl() + "/partner/leads");
  }

  @Test
  @Order(2)
  @DisplayName("A lead that rolled back e-mails nobody")
  void leadRolledBackSendsNothing() {
    PartnerUser partner = listedPartner("Outbox Lead Rollback");
    Customer owner = api.signUpCustomer("Outbox Rollback Bakery", null);
    sql.query("CREATE OR REPLACE FUNCTION lead_outbox_refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$"
        + " BEGIN RAISE EXCEPTION 'outbox test: this commit is refused'; END $$");
    sql.query("CREATE CONSTRAINT TRIGGER lead_outbox_refuse_commit AFTER INSERT ON mail_outbox DEFERRABLE INITIALLY DEFERRED"
        + " FOR EACH ROW WHEN (NEW.user_id = '" + UUID.fromString(partner.userId()) + "')"
        + " EXECUTE FUNCTION lead_outbox_refuse_commit()");
    try {
      assertThat(contact(owner, partner).status()).isGreaterThanOrEqualTo(500);
    } finally {
      sql.query("DROP TRIGGER lead_outbox_refuse_commit ON mail_outbox");
    }
    assertThat(leadCount(partner)).as("the lead rolled back with its e-mail").isZero();
    assertThat(outboxOf(partner.userId(), "lead")).isEmpty();
    // a lead sent afterwards is e-mailed (and only that one)
    expect(contact(owner, partner), 201);
    sentOnce(partner.userId(), "lead", partner.email(), "Outbox Rollback Bakery asked Outbox Lead Rollback to contact them");
  }

  @Test
  @Order(3)
  @DisplayName("A lead e-mail is retried while the SMTP server refuses, and sent once it recovers")
  void leadRetriedUntilTheServerRecovers() {
    PartnerUser partner = listedPartner("Outbox Lead Retry");
    Customer owner = api.signUpCustomer("Outbox Retry Bakery", null);
    smtp.stop();
    try {
      expect(contact(owner, partner), 201);
      await().atMost(WAIT).until(() -> outboxOf(partner.userId(), "lead").stream()
          .anyMatch(r -> r.getInteger("attempts") >= 2 && r.getString("lastError") != null));
      assertThat(outboxOf(partner.userId(), "lead").get(0).getString("status")).isEqualTo("pending");
    } finally {
      startSmtp();
    }
    sentOnce(partner.userId(), "lead", partner.email(), "Outbox Retry Bakery asked Outbox Lead Retry to contact them");
  }

  @Test
  @Order(4)
  @DisplayName("R30 The access review e-mail is written with the review, retried while the SMTP server refuses, then sent once")
  void reviewRetriedThenSentOnce() throws Exception {
    Connected c = fx.connected("Outbox Review");
    smtp.stop();
    try {
      expect(api.post("/api/v1/test/clock", null, new JsonObject().put("days", 90.01).put("sweep", true)), 200);
      await().atMost(WAIT).until(() -> outboxOf(c.customer().ownerId(), "access-review").stream()
          .anyMatch(r -> r.getInteger("attempts") >= 2 && r.getString("lastError") != null));
      assertThat(outboxOf(c.customer().ownerId(), "access-review").get(0).getString("status")).isEqualTo("pending");
    } finally {
      startSmtp();
    }
    String subject = "Access review: who may still work in Outbox Review Ltd?";
    sentOnce(c.customer().ownerId(), "access-review", c.customer().email(), subject);
    String id = expect(api.get("/api/v1/account/reviews", c.customer().token()), 200).array("reviews")
        .getJsonObject(0).getString("id");
    assertThat(TestSmtp.text(mailTo(c.customer().email(), subject).get(0)))
        .contains(app.baseUrl() + "/app/reviews/" + id).contains("Outbox Review Partners");
  }
}
