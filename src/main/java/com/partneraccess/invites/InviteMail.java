package com.partneraccess.invites;

import com.partneraccess.mail.Mailer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The email that carries a partner invite (R1) to the customer's owner. The invite is committed before the
 * email is sent; a failed send is reported to the partner ({@code emailSent: false}) and can be retried
 * with "Resend", it never loses the invite.
 */
public final class InviteMail {
  private static final Logger LOG = LoggerFactory.getLogger(InviteMail.class);

  private final Mailer mailer;
  private final String publicUrl;

  public InviteMail(Mailer mailer, String publicUrl) {
    this.mailer = mailer;
    this.publicUrl = publicUrl;
  }

  /** Sends the invite; succeeds with the invite JSON plus {@code emailSent}. */
  public Future<JsonObject> send(JsonObject invite) {
    String to = invite.getString("sentTo");
    if (to == null) {
      return Future.succeededFuture(invite.put("emailSent", false));
    }
    String partner = invite.getString("partnerName");
    String business = invite.getString("businessName");
    String text = partner + " would like to connect to " + (business == null ? "your business account" : business)
        + " as your partner, so they can help you set up and run it.\n\n"
        + (business == null
            ? "Create your account at " + publicUrl + "/signup with this email address, then accept the invite under Partner invites.\n"
            : "Sign in as the account owner at " + publicUrl + "/signin and accept or decline it under Partner invites.\n")
        + "\nYou stay in control: you can disable the partner's access or disconnect them at any time."
        + "\nThe invite expires on " + invite.getString("expiresAt").substring(0, 10) + ".\n";
    return mailer.send(to, partner + " invites you to connect as your partner", text)
        .map(v -> invite.put("emailSent", true))
        .recover(err -> {
          LOG.warn("Could not email invite {} to {}", invite.getString("id"), to, err);
          return Future.succeededFuture(invite.put("emailSent", false));
        });
  }
}
