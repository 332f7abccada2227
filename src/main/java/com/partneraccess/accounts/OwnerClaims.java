package com.partneraccess.accounts;

import com.partneraccess.mail.MailTemplates;
import com.partneraccess.mail.Mailer;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * R25: e-mails the owner of a partner-created account the one-time link to claim it, worded in
 * {@code templates/mail/owner-claim.*.peb}. The claim stands even if the e-mail fails (the partner can hand
 * over again); the result says whether it was sent.
 */
public final class OwnerClaims {
  private static final Logger LOG = LoggerFactory.getLogger(OwnerClaims.class);
  static final String TEMPLATE = "owner-claim";

  private final Mailer mailer;
  private final String publicUrl;

  public OwnerClaims(Mailer mailer, String publicUrl) {
    this.mailer = mailer;
    this.publicUrl = publicUrl;
  }

  /** What a handover did, for the reply: to whom, until when, and whether the e-mail went out. */
  public record Sent(String name, String email, String expiresAt, boolean emailSent) {}

  public Future<Sent> send(OwnerClaimRepository.Claim claim, String businessName, String partnerName) {
    return mailer.send(claim.email(), TEMPLATE, model(claim, businessName, partnerName, publicUrl))
        .map(v -> new Sent(claim.name(), claim.email(), claim.expiresAt(), true))
        .recover(err -> {
          LOG.warn("Could not email the claim link of account {} to {}", claim.accountId(), claim.email(), err);
          return Future.succeededFuture(new Sent(claim.name(), claim.email(), claim.expiresAt(), false));
        });
  }

  static Map<String, Object> model(OwnerClaimRepository.Claim claim, String businessName, String partnerName,
                                   String publicUrl) {
    return Map.of("name", claim.name(), "businessName", businessName, "partnerName", partnerName,
        "link", publicUrl + "/claim?token=" + claim.token(),
        "expiresOn", MailTemplates.day(claim.expiresAt()));
  }
}
