package com.partneraccess.accounts;

import com.partneraccess.authz.AccountActor;
import com.partneraccess.mail.Mailer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * R10: invites a staff member by email: stores the invitation and emails its one-time link. The
 * invitation stands even if the email fails; the result says whether it was sent.
 */
public final class StaffInvitations {
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
      String text = "Hello " + name.strip() + ",\n\nYou have been invited to join " + actor.businessName() + " as "
          + inv.role() + ".\nChoose your password here: " + publicUrl + "/staff-invite?token=" + inv.token()
          + "\n\nThe link works once and expires on " + inv.expiresAt().substring(0, 10) + ".\n";
      return mailer.send(inv.email(), "You are invited to " + actor.businessName(), text)
          .map(v -> json.put("emailSent", true))
          .recover(err -> Future.succeededFuture(json.put("emailSent", false)));
    });
  }
}
