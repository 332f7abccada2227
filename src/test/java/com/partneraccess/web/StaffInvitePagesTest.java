package com.partneraccess.web;

import com.partneraccess.support.MailServiceTest;
import com.partneraccess.support.TestSmtp;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Inviting staff from the Staff page, and joining from the emailed link (R10)")
class StaffInvitePagesTest extends MailServiceTest {
  @Test
  @DisplayName("R10 The owner invites by email (no password), the invitee chooses a password on the linked page and is signed in")
  void inviteFromThePageAndJoin() throws Exception {
    Customer owner = api.signUpCustomer("Page Team Bakery", null);
    Browserless o = new Browserless(app.baseUrl());
    o.signIn(owner.email(), "password-123");
    o.get("/app/staff");
    String email = ApiClient.uniqueEmail("teammate");
    HttpResponse<String> added = o.post("/app/staff", Map.of("name", "Tess Teammate", "email", email, "role", "admin"));
    assertThat(added.statusCode()).isEqualTo(303);
    assertThat(o.open("/app/staff").body()).contains("Invited Tess Teammate as admin").contains("Tess Teammate")
        .contains("waiting for them to choose a password");

    assertThat(mail.server.waitForIncomingEmail(5_000, 1)).isTrue();
    MimeMessage m = mail.server.getReceivedMessages()[0];
    assertThat(m.getAllRecipients()[0].toString()).isEqualTo(email);
    Matcher link = Pattern.compile("(/staff-invite\\?token=[A-Za-z0-9_-]+)").matcher(TestSmtp.text(m));
    assertThat(link.find()).isTrue();

    Browserless t = new Browserless(app.baseUrl());
    HttpResponse<String> page = t.get(link.group(1));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Join your team");
    String token = link.group(1).substring("/staff-invite?token=".length());
    HttpResponse<String> joined = t.post("/staff-invite", Map.of("token", token, "password", "teammate-pass"));
    assertThat(joined.statusCode()).isEqualTo(303);
    assertThat(joined.headers().firstValue("Location").orElseThrow()).isEqualTo("/app");
    assertThat(t.open("/app").body()).contains("Welcome, Tess Teammate: you joined as admin.");

    Browserless again = new Browserless(app.baseUrl());
    again.get(link.group(1));
    HttpResponse<String> reused = again.post("/staff-invite", Map.of("token", token, "password", "another-pass"));
    assertThat(reused.statusCode()).isEqualTo(409);
    assertThat(reused.body()).contains("This invitation was already used");
    assertThat(api.token(email, "teammate-pass")).isNotBlank();
  }
}
