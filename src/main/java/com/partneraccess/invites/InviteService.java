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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * THE home of partner invites (R1, R2): a partner invites an account or an email address, lists, withdraws
 * and resends its invites; the customer's owner and admins see them; only the owner accepts or declines.
 */
public final class InviteService {
  /** The most invites one page of {@link #forAccount} holds (documented in openapi.yaml). */
  public static final int PAGE_MAX = 100;
  static final int PAGE_DEFAULT = 50;
  static final java.util.Set<String> PARTNER_STATUSES =
      java.util.Set.of("open", "pending", "expired", "accepted", "declined", "withdrawn");
  static final Duration RATE_WINDOW = Duration.ofHours(1);

  private final InviteRepository repository;
  private final InviteMail mail;
  private final int invitesPerHour;
  private final int resendsPerHour;
  private final int expiryDays;
  private final int jobThreshold;

  public InviteService(InviteRepository repository, InviteMail mail, int invitesPerHour, int resendsPerHour,
                       int expiryDays, int jobThreshold) {
    this.repository = repository;
    this.mail = mail;
    this.invitesPerHour = invitesPerHour;
    this.resendsPerHour = resendsPerHour;
    this.expiryDays = expiryDays;
    this.jobThreshold = jobThreshold;
  }

  /** Whom to invite: an existing account by id, or the owner's email address (exactly one of them). */
  public record CreateInvite(UUID accountId, String email) {}

  /**
   * What inviting did: the invite as the partner sees it, whether it was a pending one sent again (no second invite
   * is made), and whether that one had expired.
   */
  public record Sent(JsonObject invite, boolean resent, boolean hadExpired) {}

  /**
   * R1: stores the invite, then emails it; the reply says whether the email went out. Inviting the same account id
   * or address again while an invite is pending sends that one again. At most {@code limits.invitesPerHour} per
   * partner (429 with Retry-After beyond).
   */
  public Future<Sent> create(Principal partner, CreateInvite cmd) {
    Permissions.require(partner, Operation.CREATE_INVITE);
    String email = Input.optionalText(cmd.email(), "The customer's email", Input.EMAIL_MAX);
    if ((cmd.accountId() == null) == (email == null)) {
      throw Problem.VALIDATION_FAILED.exception("Give either accountId or email");
    }
    if (email != null && !Input.looksLikeEmail(email)) {
      throw Problem.VALIDATION_FAILED.exception("The customer's email does not look like an email address");
    }
    return repository.countSend(partner.partnerId(), "invite", invitesPerHour, RATE_WINDOW)
        .compose(v -> repository.create(partner.partnerId(), cmd.accountId(), email))
        .compose(sent -> mail.send(sent.invite()).map(i -> new Sent(forPartner(i), sent.resent(), sent.hadExpired())));
  }

  /** Which of a partner's invites: a status (null for all; "open" = pending or expired), a page size, a cursor. */
  public record PartnerInvites(String status, Integer limit, String cursor) {
    public static final PartnerInvites OPEN = new PartnerInvites("open", null, null);
  }

  /** The partner's invites, newest first, at most {@value #PAGE_MAX} a page (50 unless asked). */
  public Future<InviteRepository.Page> ofPartner(Principal partner, PartnerInvites request) {
    Permissions.require(partner, Operation.LIST_INVITES);
    String status = Input.oneOf(request.status(), "status", PARTNER_STATUSES);
    int limit = Input.range(request.limit(), "limit", 1, PAGE_MAX, PAGE_DEFAULT);
    String cursor = Input.optionalText(request.cursor(), "cursor", 200);
    return repository.ofPartner(partner.partnerId(), status, cursor, limit).map(page -> {
      JsonArray out = new JsonArray();
      page.invites().forEach(i -> out.add(forPartner((JsonObject) i)));
      return new InviteRepository.Page(out, page.nextCursor());
    });
  }

  public Future<Void> withdraw(Principal partner, UUID inviteId) {
    Permissions.require(partner, Operation.WITHDRAW_INVITE);
    return repository.withdraw(partner.partnerId(), inviteId);
  }

  /** Sends the same invite again, valid for another full period; at most {@code limits.resendsPerHour} per partner. */
  public Future<JsonObject> resend(Principal partner, UUID inviteId) {
    Permissions.require(partner, Operation.RESEND_INVITE);
    return repository.countSend(partner.partnerId(), "resend", resendsPerHour, RATE_WINDOW)
        .compose(v -> repository.resend(partner.partnerId(), inviteId))
        .compose(mail::send).map(InviteService::forPartner);
  }

  /** One page of the account's pending invites: how many and after which cursor. */
  public record PageRequest(Integer limit, String cursor) {
    public static final PageRequest FIRST = new PageRequest(null, null);
  }

  /**
   * The account's pending invites (by account, or by its owner's email), newest first, at most {@value #PAGE_MAX} a
   * page (50 unless asked): owner and admins.
   */
  public Future<InviteRepository.Page> forAccount(AccountActor actor, PageRequest page) {
    Permissions.require(actor, Operation.LIST_PARTNER_INVITES);
    int limit = Input.range(page.limit(), "limit", 1, PAGE_MAX, PAGE_DEFAULT);
    String cursor = Input.optionalText(page.cursor(), "cursor", 200);
    return repository.forAccount(actor.accountId(), cursor, limit);
  }

  /**
   * What accepting would let the partner do and not do inside the account (R9), read from the permission table
   * ({@link Operation}: the account operations with and without the role {@code PARTNER_IN_ACCOUNT}), and the
   * expiry rule (R11, R12): the owner sees it before confirming.
   */
  public record Review(JsonObject invite, List<String> can, List<String> cannot, int expiryDays, int jobThreshold) {}

  public Future<Review> review(AccountActor actor, UUID inviteId) {
    Permissions.require(actor, Operation.LIST_PARTNER_INVITES);
    return repository.oneForAccount(actor.accountId(), inviteId).map(invite -> {
      List<String> can = new ArrayList<>();
      List<String> cannot = new ArrayList<>();
      PartnerPowers.describe(can, cannot);
      return new Review(invite, can, cannot, expiryDays, jobThreshold);
    });
  }

  /** R2: only the account owner accepts (connects, access enabled, R6) or declines; returns the partner. */
  public Future<UUID> decide(AccountActor actor, UUID inviteId, boolean accept) {
    Permissions.require(actor, Operation.DECIDE_PARTNER_INVITE);
    return repository.decide(actor.accountId(), inviteId, accept, actor.userId());
  }

  /**
   * What the inviting partner sees: nothing it did not give about an account before the invite is accepted. An
   * invite by e-mail shows that address, never whether an account has it (no account id, no business name); an invite
   * by account id shows that id, never its owner's address. Once accepted the partner is connected and the customer
   * is in its list anyway.
   */
  static JsonObject forPartner(JsonObject invite) {
    boolean byEmail = invite.getString("email") != null;
    boolean accepted = "accepted".equals(invite.getString("status"));
    JsonObject out = invite.copy();
    out.put("accountId", accepted || !byEmail ? invite.getString("accountId") : null);
    out.put("businessName", accepted ? invite.getString("businessName") : null);
    out.put("sentTo", byEmail ? invite.getString("email") : null);
    return out;
  }
}
