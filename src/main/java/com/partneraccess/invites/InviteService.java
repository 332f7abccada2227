package com.partneraccess.invites;

import com.partneraccess.authz.AccountActor;
import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.authz.Principal;
import com.partneraccess.bus.Input;
import com.partneraccess.bus.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * THE home of partner invites (R1, R2): a partner invites an account or an email address, lists, withdraws
 * and resends its invites; the customer's owner and admins see them; only the owner accepts or declines.
 */
public final class InviteService {
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

  private final InviteRepository repository;
  private final InviteMail mail;

  public InviteService(InviteRepository repository, InviteMail mail) {
    this.repository = repository;
    this.mail = mail;
  }

  /** Whom to invite: an existing account by id, or the owner's email address (exactly one of them). */
  public record CreateInvite(UUID accountId, String email) {}

  /** R1: stores the invite, then emails it; the reply says whether the email went out. */
  public Future<JsonObject> create(Principal partner, CreateInvite cmd) {
    Permissions.require(partner, Operation.CREATE_INVITE);
    String email = Input.optionalText(cmd.email(), "The customer's email", 254);
    if ((cmd.accountId() == null) == (email == null)) {
      throw Problem.VALIDATION_FAILED.exception("Give either accountId or email");
    }
    if (email != null && !EMAIL.matcher(email).matches()) {
      throw Problem.VALIDATION_FAILED.exception("The customer's email does not look like an email address");
    }
    return repository.create(partner.partnerId(), cmd.accountId(), email).compose(mail::send);
  }

  public Future<JsonArray> ofPartner(Principal partner) {
    Permissions.require(partner, Operation.LIST_INVITES);
    return repository.ofPartner(partner.partnerId());
  }

  public Future<Void> withdraw(Principal partner, UUID inviteId) {
    Permissions.require(partner, Operation.WITHDRAW_INVITE);
    return repository.withdraw(partner.partnerId(), inviteId);
  }

  /** Sends the same invite again, valid for another full period. */
  public Future<JsonObject> resend(Principal partner, UUID inviteId) {
    Permissions.require(partner, Operation.RESEND_INVITE);
    return repository.resend(partner.partnerId(), inviteId).compose(mail::send);
  }

  /** The account's invites (by account, or by its owner's email): owner and admins. */
  public Future<JsonArray> forAccount(AccountActor actor) {
    Permissions.require(actor, Operation.LIST_PARTNER_INVITES);
    return repository.forAccount(actor.accountId());
  }

  /** R2: only the account owner accepts (connects, access enabled, R6) or declines; returns the partner. */
  public Future<UUID> decide(AccountActor actor, UUID inviteId, boolean accept) {
    Permissions.require(actor, Operation.DECIDE_PARTNER_INVITE);
    return repository.decide(actor.accountId(), inviteId, accept, actor.userId());
  }
}
