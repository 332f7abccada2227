package com.partneraccess.identity;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.MailServiceTest;
import com.partneraccess.support.TestSmtp;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Account recovery and settings: password reset by e-mailed link, e-mail change by confirmation link")
class RecoveryTest extends MailServiceTest {
  private static final String PASSWORD = "password-123";

  /** Asks for a reset and returns the token of the link e-mailed to {@code email}. */
  private String requestResetToken(String email) throws Exception {
    int before = smtp.getReceivedMessages().length;
    Reply r = expect(api.post("/api/v1/password-resets", null, new JsonObject().put("email", email)), 202);
    assertThat(r.json().getString("message")).isEqualTo(RecoveryService.RESET_ANSWER);
    return linkToken(before, email, "/reset-password");
  }

  /** Tokens already taken from a mail: a later call waits for a mail with a link not seen yet. */
  private final java.util.Set<String> seen = new java.util.HashSet<>();

  /**
   * The link token of the first mail to {@code to} since {@code before} whose link ({@code path}) is new to this test:
   * a mail delivered twice (SMTP is at least once) or a mail to someone else never stands in for the one awaited.
   */
  private String linkToken(int before, String to, String path) throws Exception {
    Pattern pattern = Pattern.compile(Pattern.quote(path) + "\\?token=([A-Za-z0-9_-]+)");
    String[] found = new String[2];
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> {
      MimeMessage[] all = smtp.getReceivedMessages();
      for (int i = before; i < all.length; i++) {
        if (!all[i].getAllRecipients()[0].toString().equals(to)) {
          continue;
        }
        Matcher link = pattern.matcher(TestSmtp.text(all[i]));
        if (link.find() && !seen.contains(link.group(1))) {
          found[0] = link.group(1);
          found[1] = TestSmtp.html(all[i]);
          return true;
        }
      }
      return false;
    });
    assertThat(found[1]).contains("<a href=\"" + app.baseUrl() + path + "?token=" + found[0] + "\">");
    seen.add(found[0]);
    return found[0];
  }

  private static Reply confirm(String token, String password) {
    return api.post("/api/v1/password-resets/confirm", null, new JsonObject().put("token", token).put("password", password));
  }

  @Test
  @DisplayName("A reset link works once, sets the password, ends every other session and clears the lock-out")
  void resetOnceEndsSessionsAndLockOut() throws Exception {
    Customer c = api.signUpCustomer("Forgetful Florist", null);
    String otherSession = api.token(c.email(), PASSWORD);
    // five wrong passwords lock the e-mail out from this address
    for (int i = 0; i < 5; i++) {
      assertThat(api.post("/api/v1/auth/token", null, new JsonObject().put("email", c.email()).put("password", "wrong-pass-" + i))
          .status()).isEqualTo(401);
    }
    assertThat(api.post("/api/v1/auth/token", null, new JsonObject().put("email", c.email()).put("password", PASSWORD))
        .status()).isEqualTo(429);

    String token = requestResetToken(c.email());
    Reply done = expect(confirm(token, "new-password-456"), 200);
    assertThat(done.json().getBoolean("passwordChanged")).isTrue();
    // the token returned with the reset works; the sessions from before do not
    expect(api.get("/api/v1/account", done.json().getString("token")), 200);
    assertThat(api.get("/api/v1/account", c.token()).status()).isEqualTo(401);
    assertThat(api.get("/api/v1/account", otherSession).status()).isEqualTo(401);
    // the lock-out is gone and the new password is the one that works
    assertThat(api.post("/api/v1/auth/token", null, new JsonObject().put("email", c.email()).put("password", PASSWORD))
        .status()).isEqualTo(401);
    String fresh = api.token(c.email(), "new-password-456");
    expect(api.get("/api/v1/account", fresh), 200);

    Reply again = confirm(token, "third-password-789");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.reason()).isEqualTo("LINK_SPENT");
    assertThat(again.json().getString("detail")).contains("already used");
    expect(api.get("/api/v1/account", fresh), 200); // a refused link ends nothing
  }

  @Test
  @DisplayName("Two uses of one reset link at once: exactly one wins")
  void raceHasOneWinner() throws Exception {
    Customer c = api.signUpCustomer("Racing Roofers", null);
    String token = requestResetToken(c.email());
    List<CompletableFuture<Reply>> uses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String pw = "racing-password-" + i;
      uses.add(CompletableFuture.supplyAsync(() -> confirm(token, pw)));
    }
    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<Reply> u : uses) {
      statuses.add(u.get(60, TimeUnit.SECONDS).status());
    }
    assertThat(statuses).containsOnly(200, 409);
    assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
  }

  @Test
  @DisplayName("A reset link expires, and a newer link replaces the older one")
  void expiresAndReplaced() throws Exception {
    Customer c = api.signUpCustomer("Late Locksmiths", null);
    String first = requestResetToken(c.email());
    String second = requestResetToken(c.email());
    Reply replaced = confirm(first, "new-password-456");
    assertThat(replaced.reason()).isEqualTo("LINK_SPENT");
    assertThat(replaced.json().getString("detail")).contains("newer link");
    api.advanceClock(1.0 / 24 + 0.01); // just over the hour
    Reply late = confirm(second, "new-password-456");
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.json().getString("detail")).contains("expired");
    expect(api.get("/api/v1/account", c.token()), 200); // nothing changed
    assertThat(confirm("no-such-link-token-123", "new-password-456").status()).isEqualTo(404);
  }

  @Test
  @DisplayName("Forgot password answers the same for an unknown e-mail, sends it nothing, and is rate limited")
  void noEnumeration() throws Exception {
    Customer c = api.signUpCustomer("Quiet Quilters", null);
    String unknown = ApiClient.uniqueEmail("nobody");
    int before = smtp.getReceivedMessages().length;
    Reply forUnknown = api.post("/api/v1/password-resets", null, new JsonObject().put("email", unknown));
    Reply forKnown = api.post("/api/v1/password-resets", null, new JsonObject().put("email", c.email()));
    assertThat(forUnknown.status()).isEqualTo(forKnown.status()).isEqualTo(202);
    assertThat(forUnknown.body()).isEqualTo(forKnown.body());
    // the known address gets its mail; by then the unknown one's request had long been handled, and nothing went there
    assertThat(smtp.waitForIncomingEmail(10_000, before + 1)).isTrue();
    for (MimeMessage m : smtp.getReceivedMessages()) {
      assertThat(m.getAllRecipients()[0].toString()).isNotEqualTo(unknown);
    }
    // the same limit for both: three an hour per e-mail asked about
    for (String email : List.of(unknown, c.email())) {
      for (int i = 0; i < 2; i++) {
        api.post("/api/v1/password-resets", null, new JsonObject().put("email", email));
      }
      Reply over = api.post("/api/v1/password-resets", null, new JsonObject().put("email", email));
      assertThat(over.status()).as(email).isEqualTo(429);
      assertThat(over.header("Retry-After")).isNotNull();
    }
  }

  @Test
  @DisplayName("An e-mail change needs the current password and happens only when the link sent to the new address is followed")
  void emailChangeConfirmed() throws Exception {
    Customer c = api.signUpCustomer("Moving Movers", null);
    String newEmail = ApiClient.uniqueEmail("moved");
    Reply wrong = api.post("/api/v1/me/email", c.token(), new JsonObject().put("email", newEmail)
        .put("currentPassword", "not-my-password"));
    assertThat(wrong.status()).isEqualTo(400);
    int before = smtp.getReceivedMessages().length;
    Reply asked = expect(api.post("/api/v1/me/email", c.token(), new JsonObject().put("email", newEmail)
        .put("currentPassword", PASSWORD)), 202);
    assertThat(asked.json().getBoolean("emailSent")).isTrue();
    String token = linkToken(before, newEmail, "/confirm-email");

    JsonObject me = expect(api.get("/api/v1/me", c.token()), 200).json();
    assertThat(me.getString("email")).isEqualTo(c.email());
    assertThat(me.getString("pendingEmail")).isEqualTo(newEmail);
    api.token(c.email(), PASSWORD); // still signs in with the old address

    Reply confirmed = expect(api.post("/api/v1/email-changes/confirm", null, new JsonObject().put("token", token)), 200);
    assertThat(confirmed.json().getString("email")).isEqualTo(newEmail);
    assertThat(expect(api.get("/api/v1/me", c.token()), 200).json().getString("email")).isEqualTo(newEmail);
    api.token(newEmail, PASSWORD);
    assertThat(api.post("/api/v1/auth/token", null, new JsonObject().put("email", c.email()).put("password", PASSWORD))
        .status()).isEqualTo(401);
    assertThat(api.post("/api/v1/email-changes/confirm", null, new JsonObject().put("token", token)).reason())
        .isEqualTo("LINK_SPENT");
  }

  @Test
  @DisplayName("Changing the password needs the current one and ends the other sessions; a partner renames its organisation")
  void passwordAndOrganisation() {
    ApiClient.PartnerUser partner = api.signUpPartner("Old Name Partners");
    String other = api.token(partner.email(), PASSWORD);
    Reply wrong = api.put("/api/v1/me/password", partner.token(), new JsonObject().put("currentPassword", "nope-nope")
        .put("password", "new-password-456"));
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(wrong.json().getString("detail")).contains("Current password");
    Reply changed = expect(api.put("/api/v1/me/password", partner.token(), new JsonObject()
        .put("currentPassword", PASSWORD).put("password", "new-password-456")), 200);
    String fresh = changed.json().getString("token");
    assertThat(api.get("/api/v1/partner/customers", other).status()).isEqualTo(401);
    expect(api.get("/api/v1/partner/customers", fresh), 200);

    expect(api.put("/api/v1/partner/organisation", fresh, new JsonObject().put("name", "New Name Partners")), 200);
    assertThat(expect(api.get("/api/v1/me", fresh), 200).json().getString("organisation")).isEqualTo("New Name Partners");
    Customer customer = api.signUpCustomer("Not A Partner", null);
    assertThat(api.put("/api/v1/partner/organisation", customer.token(), new JsonObject().put("name", "Sneaky"))
        .reason()).isEqualTo("PARTNER_ONLY");
    expect(api.put("/api/v1/me/name", customer.token(), new JsonObject().put("name", "Renamed Owner")), 200);
    assertThat(expect(api.get("/api/v1/me", customer.token()), 200).json().getString("name")).isEqualTo("Renamed Owner");
  }
}
