package com.partneraccess.accounts;

import com.partneraccess.authz.AccountActor;
import com.partneraccess.mail.MailTemplates;
import com.partneraccess.mail.Mailer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * R10: invites a staff member by email: stores the invitation and emails its one-time link, worded in
 * {@code templates/mail/staff-invite.*.peb}. The invitation stands even if the email fails; the result says
 * whether it was sent.
 */
public final class StaffInvitations {
  private static final Logger LOG = LoggerFactory.getLogger(StaffInvitations.class);
  static final String TEMPLATE = "staff-invite";

  private final StaffInviteRepository repository;
  private final Mailer mailer;
  private final String publicUrl;

  public StaffInvitations(StaffInviteRepository repository, Mailer mailer, String publicUrl) {
    this.repository = repository;
    this.mailer = mailer;
    this.publicUrl = publicUrl;
  }

  public Future<JsonObject> invite(AccountActor actor, String name, String email, String role) {
    return repository.invite(actor, name, email, role).compose(inv -> {
      JsonObject json = new JsonObject().put("inviteId", inv.id().toString()).put("email", inv.email())
          .put("role", inv.role()).put("status", "invited").put("expiresAt", inv.expiresAt());
      return Future.succeededFuture(inv)
          .compose(i -> mailer.send(i.email(), TEMPLATE, model(actor.businessName(), name, i, publicUrl)))
          .map(v -> json.put("emailSent", true))
          .recover(err -> {
            LOG.warn("Could not email staff invitation {} to {}", inv.id(), inv.email(), err);
            return Future.succeededFuture(json.put("emailSent", false));
          });
    });
  }

  /** The template's model: {@code name}, {@code businessName}, {@code role}, {@code link} (one-time) and {@code expiresOn}. */
  static Map<String, Object> model(String businessName, String name, StaffInviteRepository.Invitation inv,
                                   String publicUrl) {
    return Map.of("name", name.strip(), "businessName", businessName, "role", inv.role(),
        "link", publicUrl + "/staff-invite?token=" + inv.token(),
        "expiresOn", MailTemplates.day(inv.expiresAt()));
  }
}
