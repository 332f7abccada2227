package com.partneraccess.invites;

import com.partneraccess.mail.MailTemplates;
import com.partneraccess.support.MailServiceTest;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.TestSmtp;
import io.vertx.core.json.JsonObject;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Partner invites are emailed to the customer")
class InviteMailTest extends MailServiceTest {
  @Test
  @DisplayName("R1 An invite to an email address is sent there; Resend sends it again")
  void inviteByEmail() throws Exception {
    ApiClient.PartnerUser partner = api.signUpPartner("Mailing Partners");
    String email = ApiClient.uniqueEmail("newcustomer");
    ApiClient.Reply invite = ApiClient.expect(api.post("/api/v1/partner/invites", partner.token(),
        new JsonObject().put("email", email)), 201);
    assertThat(invite.json().getBoolean("emailSent")).isTrue();
    assertThat(smtp.waitForIncomingEmail(5_000, 1)).isTrue();
    MimeMessage message = smtp.getReceivedMessages()[0];
    assertThat(message.getAllRecipients()[0].toString()).isEqualTo(email);
    assertThat(message.getSubject()).contains("Mailing Partners");
    assertThat(message.isMimeType("multipart/alternative")).isTrue();
    Multipart parts = (Multipart) message.getContent();
    assertThat(parts.getCount()).isEqualTo(2);
    assertThat(TestSmtp.text(message)).contains(app.baseUrl() + "/signup").doesNotContain("<p>");
    assertThat(TestSmtp.html(message)).contains("<a href=\"" + app.baseUrl() + "/signup\">")
        .contains("Mailing Partners would like to connect to your business account");

    ApiClient.expect(api.post("/api/v1/partner/invites/" + invite.json().getString("id") + "/resend",
        partner.token(), null), 200);
    assertThat(smtp.waitForIncomingEmail(5_000, 2)).isTrue();
  }

  @Test
  @DisplayName("R1 An invite to an existing account is sent to its owner")
  void inviteByAccount() throws Exception {
    ApiClient.PartnerUser partner = api.signUpPartner("Account Partners");
    ApiClient.Customer customer = api.signUpCustomer("Existing Bakery", null);
    int before = smtp.getReceivedMessages().length;
    ApiClient.Reply invite = ApiClient.expect(api.post("/api/v1/partner/invites", partner.token(),
        new JsonObject().put("accountId", customer.accountId())), 201);
    assertThat(invite.json().getString("sentTo")).as("the owner's address is not shown to the partner").isNull();
    assertThat(smtp.waitForIncomingEmail(5_000, before + 1)).isTrue();
    MimeMessage last = smtp.getReceivedMessages()[smtp.getReceivedMessages().length - 1];
    assertThat(last.getAllRecipients()[0].toString()).isEqualTo(customer.email());
    // a direct link to the invite, where the owner sees what the partner could do before accepting
    String link = app.baseUrl() + "/app/invites/" + invite.json().getString("id");
    assertThat(TestSmtp.text(last)).contains("Existing Bakery").contains(link);
    assertThat(TestSmtp.html(last)).contains("Existing Bakery").contains("<a href=\"" + link + "\">");
  }

  private static final MailTemplates TEMPLATES = MailTemplates.load();

  private static JsonObject invite(String partner, String business) {
    return new JsonObject().put("id", "i-1").put("sentTo", "owner@example.test").put("partnerName", partner)
        .put("businessName", business).put("expiresAt", "2026-03-03T10:15:30Z");
  }

  @Test
  @DisplayName("R1 The invite to a new customer says to sign up at the public URL, in the wording of the template")
  void renderedForNewCustomer() {
    MailTemplates.Rendered mail = TEMPLATES.render(InviteMail.TEMPLATE,
        InviteMail.model(invite("Acme Partners", null), "https://pa.example"));
    assertThat(mail.subject()).isEqualTo("Acme Partners invites you to connect as your partner");
    assertThat(mail.text()).isEqualTo("""
        Acme Partners would like to connect to your business account as your partner, so they can help you set up and run it.

        Create your account at https://pa.example/signup with this email address, then accept the invite under Partner invites.

        You stay in control: you can disable the partner's access or disconnect them at any time.
        The invite expires on 3 March 2026.
        """);
    assertThat(mail.html()).contains("<a href=\"https://pa.example/signup\">https://pa.example/signup</a>")
        .contains("The invite expires on 3 March 2026.").contains("your business account");
  }

  @Test
  @DisplayName("R1 The invite to an existing account names the business and links straight to the invite")
  void renderedForExistingAccount() {
    MailTemplates.Rendered mail = TEMPLATES.render(InviteMail.TEMPLATE,
        InviteMail.model(invite("Acme Partners", "Corner Bakery"), "https://pa.example"));
    assertThat(mail.text()).isEqualTo("""
        Acme Partners would like to connect to Corner Bakery as your partner, so they can help you set up and run it.

        Open the invite at https://pa.example/app/invites/i-1 (sign in as the account owner): it shows what the partner will be able to do, and you accept or decline it there.

        You stay in control: you can disable the partner's access or disconnect them at any time.
        The invite expires on 3 March 2026.
        """);
    assertThat(mail.html()).contains("connect to Corner Bakery as your partner")
        .contains("<a href=\"https://pa.example/app/invites/i-1\">").doesNotContain("/signup");
  }

  @Test
  @DisplayName("R1 Names in the invite are escaped in the HTML part and left as written in the text part")
  void renderedEscaped() {
    MailTemplates.Rendered mail = TEMPLATES.render(InviteMail.TEMPLATE,
        InviteMail.model(invite("<b>Evil & Co</b>", "<i>Bakery</i>"), "https://pa.example"));
    assertThat(mail.html()).contains("&lt;b&gt;Evil &amp; Co&lt;/b&gt; would like to connect to &lt;i&gt;Bakery&lt;/i&gt;")
        .doesNotContain("<b>").doesNotContain("<i>");
    assertThat(mail.text()).startsWith("<b>Evil & Co</b> would like to connect to <i>Bakery</i>");
    assertThat(mail.subject()).isEqualTo("<b>Evil & Co</b> invites you to connect as your partner");
  }
}
