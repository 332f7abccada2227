package com.partneraccess.invites;

import com.partneraccess.mail.MailTemplates;
import com.partneraccess.mail.Mailer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * The email that carries a partner invite (R1) to the customer's owner, worded in
 * {@code templates/mail/partner-invite.*.peb}. The invite is committed before the email is sent; a failed
 * send is reported to the partner ({@code emailSent: false}) and can be retried with "Resend", it never
 * loses the invite.
 */
public final class InviteMail {
  private static final Logger LOG = LoggerFactory.getLogger(InviteMail.class);
  static final String TEMPLATE = "partner-invite";

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
    return Future.succeededFuture(invite)
        .compose(i -> mailer.send(to, TEMPLATE, model(i, publicUrl)))
        .map(v -> invite.put("emailSent", true))
        .recover(err -> {
          LOG.warn("Could not email invite {} to {}", invite.getString("id"), to, err);
          return Future.succeededFuture(invite.put("emailSent", false));
        });
  }

  /**
   * The template's model: {@code partnerName}, {@code businessName} (null when the invite goes to an email
   * address with no account yet: the customer signs up), {@code link} (the sign-up page, or the invite itself in the
   * account, where the owner reads what the partner could do before accepting) and {@code expiresOn}.
   */
  static Map<String, Object> model(JsonObject invite, String publicUrl) {
    String business = invite.getString("businessName");
    Map<String, Object> model = new HashMap<>();
    model.put("partnerName", invite.getString("partnerName"));
    model.put("businessName", business);
    // an account that exists: straight to the invite (signing in first when needed); otherwise: sign up first
    model.put("link", publicUrl + (business == null ? "/signup" : "/app/invites/" + invite.getString("id")));
    model.put("expiresOn", MailTemplates.day(invite.getString("expiresAt")));
    return model;
  }
}
