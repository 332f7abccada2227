package com.partneraccess.accounts;

import com.partneraccess.mail.MailTemplates;
import com.partneraccess.support.MailServiceTest;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.TestSmtp;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The owner creates or invites staff with a role (R10)")
class StaffInviteTest extends MailServiceTest {
  private String inviteAndReadToken(ApiClient.Customer owner, String email, String role) throws Exception {
    int before = smtp.getReceivedMessages().length;
    ApiClient.Reply r = ApiClient.expect(api.post("/api/v1/account/staff", owner.token(), new JsonObject()
        .put("name", "Sam Staff").put("email", email).put("role", role)), 201);
    assertThat(r.json().getString("status")).isEqualTo("invited");
    assertThat(r.json().getBoolean("emailSent")).isTrue();
    assertThat(smtp.waitForIncomingEmail(5_000, before + 1)).isTrue();
    MimeMessage m = smtp.getReceivedMessages()[before];
    assertThat(m.getAllRecipients()[0].toString()).isEqualTo(email);
    assertThat(m.isMimeType("multipart/alternative")).isTrue();
    Matcher link = Pattern.compile("/staff-invite\\?token=([A-Za-z0-9_-]+)").matcher(TestSmtp.text(m));
    assertThat(link.find()).isTrue();
    assertThat(TestSmtp.html(m)).contains("<a href=\"" + app.baseUrl() + "/staff-invite?token=" + link.group(1) + "\">");
    return link.group(1);
  }

  @Test
  @DisplayName("R10 An invited staff member accepts the emailed link once, gets the invited role and can work")
  void inviteAccept() throws Exception {
    ApiClient.Customer owner = api.signUpCustomer("Staffed Studio", null);
    String email = ApiClient.uniqueEmail("staff");
    String token = inviteAndReadToken(owner, email, "staff");

    ApiClient.Reply listed = api.get("/api/v1/account/staff", owner.token());
    assertThat(listed.json().getJsonArray("invited").getJsonObject(0).getString("email")).isEqualTo(email);

    ApiClient.Reply accepted = ApiClient.expect(api.post("/api/v1/staff-invites/accept", null,
        new JsonObject().put("token", token).put("password", "password-123")), 201);
    assertThat(accepted.json().getString("role")).isEqualTo("staff");
    String staffToken = api.token(email, "password-123");
    assertThat(api.createJobs(staffToken, 1).status()).isEqualTo(201);
    assertThat(api.get("/api/v1/account/activity", staffToken).reason()).isEqualTo("OWNER_ONLY");

    ApiClient.Reply again = api.post("/api/v1/staff-invites/accept", null,
        new JsonObject().put("token", token).put("password", "password-456"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.reason()).isEqualTo("INVITE_NOT_PENDING");
    assertThat(api.get("/api/v1/account/staff", owner.token()).json().getJsonArray("invited")).isEmpty();
  }

  @Test
  @DisplayName("R10 A staff invitation expires, and an unknown link is refused with a reason")
  void expiredAndUnknown() throws Exception {
    ApiClient.Customer owner = api.signUpCustomer("Late Studio", null);
    String token = inviteAndReadToken(owner, ApiClient.uniqueEmail("late"), "admin");
    api.advanceClock(15);
    ApiClient.Reply late = api.post("/api/v1/staff-invites/accept", null,
        new JsonObject().put("token", token).put("password", "password-123"));
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.reason()).isEqualTo("INVITE_EXPIRED");
    ApiClient.Reply unknown = api.post("/api/v1/staff-invites/accept", null,
        new JsonObject().put("token", "not-a-real-token-123").put("password", "password-123"));
    assertThat(unknown.status()).isEqualTo(404);
  }

  @Test
  @DisplayName("R10 Staff cannot add staff; an email already registered cannot be invited")
  void refusals() {
    ApiClient.Customer owner = api.signUpCustomer("Careful Studio", null);
    String staffEmail = ApiClient.uniqueEmail("direct");
    ApiClient.expect(api.post("/api/v1/account/staff", owner.token(), new JsonObject().put("name", "Direct")
        .put("email", staffEmail).put("role", "staff").put("password", "password-123")), 201);
    String staffToken = api.token(staffEmail, "password-123");
    ApiClient.Reply byStaff = api.post("/api/v1/account/staff", staffToken, new JsonObject().put("name", "X")
        .put("email", ApiClient.uniqueEmail("x")).put("role", "staff"));
    assertThat(byStaff.status()).isEqualTo(403);
    assertThat(byStaff.reason()).isEqualTo("ROLE_FORBIDDEN");
    ApiClient.Reply taken = api.post("/api/v1/account/staff", owner.token(), new JsonObject().put("name", "Again")
        .put("email", staffEmail).put("role", "staff"));
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.reason()).isEqualTo("EMAIL_TAKEN");
  }

  @Test
  @DisplayName("R10 The staff invitation mail greets by name and carries the one-time link, in the wording of the template")
  void rendered() {
    StaffInviteRepository.Invitation inv = new StaffInviteRepository.Invitation(UUID.randomUUID(), "tok-123",
        "sam@example.test", "admin", "2026-03-03T23:59:00Z");
    MailTemplates.Rendered mail = MailTemplates.load().render(StaffInvitations.TEMPLATE,
        StaffInvitations.model("Corner Bakery", "  Sam Staff ", inv, "https://pa.example"));
    assertThat(mail.subject()).isEqualTo("You are invited to Corner Bakery");
    assertThat(mail.text()).isEqualTo("""
        Hello Sam Staff,

        You have been invited to join Corner Bakery as admin.
        Choose your password here: https://pa.example/staff-invite?token=tok-123

        The link works once and expires on 3 March 2026.
        """);
    assertThat(mail.html()).contains("<p>Hello Sam Staff,</p>")
        .contains("<a href=\"https://pa.example/staff-invite?token=tok-123\">");
  }

  @Test
  @DisplayName("R10 Names in the staff invitation are escaped in the HTML part")
  void renderedEscaped() {
    StaffInviteRepository.Invitation inv = new StaffInviteRepository.Invitation(UUID.randomUUID(), "tok-123",
        "sam@example.test", "staff", "2026-03-03T00:00:00Z");
    MailTemplates.Rendered mail = MailTemplates.load().render(StaffInvitations.TEMPLATE,
        StaffInvitations.model("<b>Evil & Co</b>", "<script>x</script>", inv, "https://pa.example"));
    assertThat(mail.html()).contains("Hello &lt;script&gt;x&lt;/script&gt;,")
        .contains("join &lt;b&gt;Evil &amp; Co&lt;/b&gt; as staff").doesNotContain("<script>").doesNotContain("<b>");
    assertThat(mail.text()).contains("join <b>Evil & Co</b> as staff");
  }
}
