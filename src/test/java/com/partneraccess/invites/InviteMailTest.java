package com.partneraccess.invites;

import com.partneraccess.support.MailServiceTest;
import com.partneraccess.support.ApiClient;
import io.vertx.core.json.JsonObject;
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
    assertThat((String) message.getContent()).contains("/signup");

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
    assertThat(invite.json().getString("sentTo")).isEqualTo(customer.email());
    assertThat(smtp.waitForIncomingEmail(5_000, before + 1)).isTrue();
    MimeMessage last = smtp.getReceivedMessages()[smtp.getReceivedMessages().length - 1];
    assertThat(last.getAllRecipients()[0].toString()).isEqualTo(customer.email());
    assertThat((String) last.getContent()).contains("Existing Bakery").contains("/signin");
  }
}
