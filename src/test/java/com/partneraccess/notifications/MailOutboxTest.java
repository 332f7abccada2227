package com.partneraccess.notifications;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.partneraccess.config.AppConfig;
import com.partneraccess.rules.RuleFixtures;
import com.partneraccess.rules.RuleFixtures.Connected;
import com.partneraccess.support.ApiClient;
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
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The e-mail outbox (R27, R31) against an in-process SMTP server (GreenMail) that the tests stop and start again:
 * the relay polls every 50 ms and retries after 100 ms, doubled up to 400 ms, at most 4 attempts.
 */
@DisplayName("The e-mail outbox: committed changes are e-mailed, rolled-back ones never, refusals are retried")
class MailOutboxTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  static final int MAX_ATTEMPTS = 4;
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
    app = appWithOutbox(smtpPort, MAX_ATTEMPTS);
    api = app.api();
    fx = new RuleFixtures(app);
    sql = new TestSql(app.databaseUrl);
  }

  /** The service with a fast outbox relay (50 ms polls, short backoff) sending to the local SMTP server on smtpPort. */
  static TestApp appWithOutbox(int smtpPort, int maxAttempts) {
    JsonObject outbox = new JsonObject().put("pollMillis", 50).put("backoffMillis", 100).put("maxBackoffMillis", 400)
        .put("maxAttempts", maxAttempts).put("sendTimeoutMillis", 5000);
    return TestApp.start(RuleFixtures.productConfig().put("mail", new JsonObject().put("host", "127.0.0.1")
        .put("port", smtpPort).put("from", "Partner access <no-reply@example.test>").put("outbox", outbox)));
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

  /** The messages the SMTP server received for {@code email}. */
  private static List<MimeMessage> mailTo(String email) {
    return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
      try {
        return m.getAllRecipients()[0].toString().equals(email);
      } catch (MessagingException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  private static MimeMessage awaitMailTo(String email, String subject) {
    await().atMost(WAIT).until(() -> mailTo(email).stream().anyMatch(m -> subject(m).equals(subject)));
    return mailTo(email).stream().filter(m -> subject(m).equals(subject)).findFirst().orElseThrow();
  }

  private static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String partnerEmail(Connected c) {
    return c.partner().email();
  }

  /** The outbox rows of one user whose message contains {@code words}: status and attempts. */
  private static List<JsonObject> outboxOf(String userId, String words) {
    List<JsonObject> out = new java.util.ArrayList<>();
    sql.query("SELECT status, attempts, last_error FROM mail_outbox WHERE user_id = $1 AND model->>'message' LIKE $2",
            UUID.fromString(userId), "%" + words + "%")
        .forEach(r -> out.add(new JsonObject().put("status", r.getString("status")).put("attempts", r.getInteger("attempts"))
            .put("lastError", r.getString("last_error"))));
    return out;
  }

  @Test
  @DisplayName("R27 A committed change is e-mailed: the owner gets the request with a link to it, the partner the denial")
  void committedChangeIsEmailed() throws Exception {
    Connected c = fx.connected("Outbox Deny");
    expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
    String requestId = fx.requestAccessId(c.partner(), c.accountId());
    MimeMessage request = awaitMailTo(c.customer().email(), "Outbox Deny Partners has requested access to your account");
    assertThat(TestSmtp.text(request)).contains(app.baseUrl() + "/app#banners")
        .contains(app.baseUrl() + "/notifications/preferences");
    assertThat(TestSmtp.html(request)).contains("<a href=\"" + app.baseUrl() + "/app#banners\">");
    expect(fx.deny(c.customer().token(), requestId), 200);
    MimeMessage denied = awaitMailTo(partnerEmail(c), "Outbox Deny Ltd denied your request for access");
    assertThat(TestSmtp.text(denied)).contains("Hello Outbox Deny Partners user,")
        .contains(app.baseUrl() + "/partner/customers");
    assertThat(mailTo(partnerEmail(c)).stream().map(MailOutboxTest::subject))
        .contains("Outbox Deny Ltd disabled your access");
    assertThat(outboxOf(c.partner().userId(), "denied")).singleElement()
        .satisfies(row -> assertThat(row.getString("status")).isEqualTo("sent"));
  }

  @Test
  @DisplayName("R27 A change that rolled back sends no e-mail")
  void rolledBackChangeSendsNothing() {
    Connected c = fx.connected("Outbox Rollback");
    Connected other = fx.connected("Outbox Committed");
    sql.query("CREATE OR REPLACE FUNCTION outbox_refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$"
        + " BEGIN RAISE EXCEPTION 'outbox test: this commit is refused'; END $$");
    sql.query("CREATE CONSTRAINT TRIGGER outbox_refuse_commit AFTER INSERT ON mail_outbox DEFERRABLE INITIALLY DEFERRED"
        + " FOR EACH ROW WHEN (NEW.user_id = '" + UUID.fromString(c.partner().userId()) + "')"
        + " EXECUTE FUNCTION outbox_refuse_commit()");
    try {
      assertThat(api.setAccess(c.customer(), c.partnerId(), false).status()).isGreaterThanOrEqualTo(500);
      expect(api.setAccess(other.customer(), other.partnerId(), false), 200);
      awaitMailTo(partnerEmail(other), "Outbox Committed Ltd disabled your access");
      assertThat(mailTo(partnerEmail(c)).stream().map(MailOutboxTest::subject))
          .doesNotContain("Outbox Rollback Ltd disabled your access");
      assertThat(outboxOf(c.partner().userId(), "disabled")).isEmpty();
      assertThat(api.customerOf(c.partner(), c.accountId()).getString("access")).isEqualTo("enabled");
    } finally {
      sql.query("DROP TRIGGER outbox_refuse_commit ON mail_outbox");
    }
  }

  @Test
  @DisplayName("R27 An SMTP server that refuses and then recovers gets the e-mail after retries")
  void retriedUntilTheServerRecovers() {
    Connected c = fx.connected("Outbox Retry");
    smtp.stop();
    try {
      expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
      await().atMost(WAIT).until(() -> outboxOf(c.partner().userId(), "disabled").stream()
          .anyMatch(r -> r.getInteger("attempts") >= 2 && r.getString("lastError") != null));
      assertThat(outboxOf(c.partner().userId(), "disabled").get(0).getString("status")).isEqualTo("pending");
    } finally {
      startSmtp();
    }
    awaitMailTo(partnerEmail(c), "Outbox Retry Ltd disabled your access");
    await().atMost(WAIT).until(() -> "sent".equals(outboxOf(c.partner().userId(), "disabled").get(0).getString("status")));
    assertThat(outboxOf(c.partner().userId(), "disabled").get(0).getInteger("attempts")).isBetween(2, MAX_ATTEMPTS);
  }

  @Test
  @DisplayName("R27 After the most attempts the e-mail is marked failed and never sent")
  void givesUp() {
    Connected c = fx.connected("Outbox Give Up");
    smtp.stop();
    try {
      expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
      await().atMost(WAIT).until(() -> outboxOf(c.partner().userId(), "disabled").stream()
          .anyMatch(r -> "failed".equals(r.getString("status"))));
      assertThat(outboxOf(c.partner().userId(), "disabled").get(0).getInteger("attempts")).isEqualTo(MAX_ATTEMPTS);
    } finally {
      startSmtp();
    }
    // a later change is sent, the failed one is not tried again
    expect(api.setAccess(c.customer(), c.partnerId(), true), 200);
    expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
    await().atMost(WAIT).until(() -> outboxOf(c.partner().userId(), "disabled").stream()
        .anyMatch(r -> "sent".equals(r.getString("status"))));
    assertThat(outboxOf(c.partner().userId(), "disabled").stream().map(r -> r.getString("status")))
        .containsExactlyInAnyOrder("failed", "sent");
  }

  @Test
  @DisplayName("R27 R31 E-mail follows each user's choice: a partner that turns denials off gets none; an owner who chose login alerts gets them")
  void choices() {
    Connected c = fx.connected("Outbox Choice");
    expect(api.put("/api/v1/notifications/preferences", c.partner().token(), new JsonObject().put("preferences",
        new JsonArray().add(new JsonObject().put("kind", "request_denied").put("email", false)))), 200);
    expect(api.put("/api/v1/notifications/preferences", c.customer().token(), new JsonObject().put("preferences",
        new JsonArray().add(new JsonObject().put("kind", "partner_logged_in").put("email", true)))), 200);
    expect(fx.logIn(c.partner(), c.accountId()), 201);
    MimeMessage login = awaitMailTo(c.customer().email(), subjectOfLogin(c));
    assertThat(TestSmtp.text(login)).contains("Outbox Choice Partners user of Outbox Choice Partners logged in at");

    expect(api.setAccess(c.customer(), c.partnerId(), false), 200);
    String requestId = fx.requestAccessId(c.partner(), c.accountId());
    expect(fx.deny(c.customer().token(), requestId), 200);
    // the partner is told (in the centre) but not e-mailed; the disable before it was e-mailed (its default)
    awaitMailTo(partnerEmail(c), "Outbox Choice Ltd disabled your access");
    assertThat(expect(api.get("/api/v1/notifications", c.partner().token()), 200).json().getJsonArray("notifications")
        .getJsonObject(0).getString("kind")).isEqualTo("request_denied");
    assertThat(outboxOf(c.partner().userId(), "denied")).isEmpty();
  }

  private static String subjectOfLogin(Connected c) {
    String message = expect(api.get("/api/v1/notifications", c.customer().token()), 200).json()
        .getJsonArray("notifications").getJsonObject(0).getString("message");
    assertThat(message).startsWith("Outbox Choice Partners user of Outbox Choice Partners logged in at ");
    return message;
  }

  @Test
  @DisplayName("The retry wait doubles from mail.outbox.backoffMillis and stops at mail.outbox.maxBackoffMillis")
  void backoff() {
    AppConfig.Outbox o = new AppConfig.Outbox(1000, 50, 8, 100, 1000, 1000, 60);
    assertThat(List.of(1, 2, 3, 4, 5, 20).stream().map(a -> MailRelayVerticle.backoff(o, a).toMillis()).toList())
        .containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
  }
}
