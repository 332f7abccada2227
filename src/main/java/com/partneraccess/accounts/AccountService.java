package com.partneraccess.accounts;

import com.partneraccess.authz.AccountActor;
import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.authz.Principal;
import com.partneraccess.bus.Input;
import com.partneraccess.bus.Problem;
import com.partneraccess.commission.Plans;
import com.partneraccess.connections.ConnectionRepository;
import com.partneraccess.connections.PartnerView;
import com.partneraccess.identity.PasswordHasher;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * THE home of the operations on a customer account and its users (R9, R10): the summary, the staff list,
 * adding staff, and the owner's subscription, cancelling and owner change.
 */
public final class AccountService {
  private static final Set<String> STAFF_ROLES = Set.of("admin", "staff");

  private final AccountRepository accounts;
  private final ConnectionRepository connections;
  private final StaffInviteRepository staffInvites;
  private final StaffInvitations invitations;
  private final OwnerClaimRepository claims;
  private final PasswordHasher hasher;
  private final Plans plans;

  public AccountService(AccountRepository accounts, ConnectionRepository connections,
                        StaffInviteRepository staffInvites, StaffInvitations invitations, OwnerClaimRepository claims,
                        PasswordHasher hasher, Plans plans) {
    this.accounts = accounts;
    this.connections = connections;
    this.staffInvites = staffInvites;
    this.invitations = invitations;
    this.claims = claims;
    this.hasher = hasher;
    this.plans = plans;
  }

  public Plans plans() {
    return plans;
  }

  /** A customer signing up (R3a): the business, its owner, optionally a partner's referral code. */
  public record SignUp(String businessName, String name, String email, String password, String plan,
                       String referralCode) {}

  /** The new account and its owner, signed in; with the partner it joined (access disabled, R6) if any. */
  public record SignedUp(UUID accountId, UUID userId, UUID partnerId, String partnerName, Principal owner) {}

  /** R3a/R6: anyone signs up a customer account (the API and the sign-up page). */
  public Future<SignedUp> signUp(SignUp cmd) {
    String business = Input.requiredText(cmd.businessName(), "Business name", Input.NAME_MAX);
    String name = Input.requiredText(cmd.name(), "Your name", Input.NAME_MAX);
    String plan = plans.require(cmd.plan());
    String referral = Input.optionalText(cmd.referralCode(), "Referral code", 64);
    return hasher.hash(cmd.password())
        .compose(hash -> accounts.signUp(business, plan, new AccountRepository.NewUser(name, cmd.email(), hash), referral))
        .map(s -> new SignedUp(s.accountId(), s.userId(), s.partnerId(), s.partnerName(),
            new Principal(s.userId(), Principal.Kind.CUSTOMER, s.accountId(), "owner", null, name)));
  }

  /** R10: an invited staff member chooses a password from the e-mailed link; returns the new user, signed in. */
  public Future<Principal> joinStaff(String token, String password) {
    if (token == null || token.isBlank()) {
      throw Problem.VALIDATION_FAILED.exception("The invitation link is incomplete; open it from the email again");
    }
    return hasher.hash(password).compose(hash -> staffInvites.accept(token, hash)).map(j ->
        new Principal(j.userId(), Principal.Kind.CUSTOMER, j.accountId(), j.role(), null, j.name()));
  }

  /** R25: the owner of a partner-created account claims it from the e-mailed link with its own password. */
  public Future<Principal> claimAccount(String token, String password) {
    if (token == null || token.isBlank()) {
      throw Problem.VALIDATION_FAILED.exception("The link is incomplete; open it from the email again");
    }
    return hasher.hash(password).compose(hash -> claims.claim(token, hash)).map(c ->
        new Principal(c.userId(), Principal.Kind.CUSTOMER, c.accountId(), "owner", null, c.name()));
  }

  public Future<JsonObject> summary(AccountActor actor) {
    Permissions.require(actor, Operation.VIEW_ACCOUNT);
    return accounts.summary(actor.accountId());
  }

  /** R4/R10: the staff list: users, connected partners (marked as partners) and pending staff invitations. */
  public record StaffList(JsonArray users, List<PartnerView> partners, JsonArray invited) {}

  public Future<StaffList> staff(AccountActor actor) {
    Permissions.require(actor, Operation.LIST_STAFF);
    return accounts.staff(actor.accountId()).compose(users -> connections.partnersOf(actor.accountId())
        .compose(partners -> staffInvites.pending(actor.accountId())
            .map(invited -> new StaffList(users, partners, invited))));
  }

  /** A new staff user: invited by email (no password), or created at once with the password given. */
  public record AddStaff(String name, String email, String role, String password) {}

  /** What adding staff did, for the reply and the confirmation sentence. */
  public record StaffAdded(String name, String email, String role, UUID userId, JsonObject invitation) {
    public boolean invited() {
      return invitation != null;
    }
  }

  /**
   * R10: the owner, an admin or a partner with access (R9) adds a user as admin or staff. R24: a partner only
   * invites staff by e-mail (it never sets a password, never adds an admin). Never on a cancelled account.
   */
  public Future<StaffAdded> addStaff(AccountActor actor, AddStaff cmd) {
    Permissions.require(actor, Operation.ADD_STAFF);
    if (actor.cancelled()) {
      throw Problem.ACCOUNT_CANCELLED.exception("A cancelled account cannot add staff");
    }
    String name = Input.requiredText(cmd.name(), "Name", Input.NAME_MAX);
    String email = Input.requiredEmail(cmd.email(), "Email");
    String role = Input.requiredText(cmd.role(), "Role", 20);
    if (!STAFF_ROLES.contains(role)) {
      throw Problem.VALIDATION_FAILED.exception("Role must be admin or staff");
    }
    String password = cmd.password() == null || cmd.password().isEmpty() ? null : cmd.password();
    if (actor.isPartner() && password != null) {
      throw Problem.CUSTOMER_ONLY.exception("A partner never sets a user's password: leave it out and the user is "
          + "invited by e-mail to choose their own (R24)");
    }
    if (actor.isPartner() && !"staff".equals(role)) {
      throw Problem.CUSTOMER_ONLY.exception("A partner adds staff only; only the customer's owner or admins add an "
          + "admin (R24)");
    }
    if (password == null) {
      return invitations.invite(actor, name, email, role)
          .map(inv -> new StaffAdded(name, email, role, null, inv));
    }
    if (password.length() < 8 || password.length() > 200) {
      throw Problem.VALIDATION_FAILED.exception("Password must have 8 to 200 characters");
    }
    return hasher.hash(password)
        .compose(h -> accounts.addStaff(actor, new AccountRepository.NewUser(name, email, h), role))
        .map(id -> new StaffAdded(name, email, role, id, null));
  }

  /** R24: the owner confirms a user a partner added; returns the user's name. */
  public Future<String> confirmStaff(AccountActor actor, UUID userId) {
    Permissions.require(actor, Operation.CONFIRM_STAFF);
    if (userId == null) {
      throw Problem.VALIDATION_FAILED.exception("Choose the user to confirm");
    }
    return accounts.confirmStaff(actor, userId);
  }

  /** The plan and status, with the prices of every plan. */
  public record Subscription(String plan, String status, java.util.Map<String, java.math.BigDecimal> prices) {}

  public Future<Subscription> subscription(AccountActor actor) {
    Permissions.require(actor, Operation.VIEW_SUBSCRIPTION);
    return accounts.summary(actor.accountId())
        .map(s -> new Subscription(s.getString("plan"), s.getString("status"), plans.prices()));
  }

  public Future<Subscription> changePlan(AccountActor actor, String plan) {
    Permissions.require(actor, Operation.CHANGE_SUBSCRIPTION);
    String chosen = plans.require(plan);
    return accounts.changePlan(actor, chosen).map(p -> new Subscription(p, "active", plans.prices()));
  }

  /** R9: the owner cancels the account; the reason is optional, at most 500 characters. */
  public Future<Void> cancel(AccountActor actor, String reason) {
    Permissions.require(actor, Operation.CANCEL_ACCOUNT);
    return accounts.cancel(actor, Input.optionalText(reason, "The reason", Input.REASON_MAX));
  }

  /** R9: the owner hands ownership to another user of the account and becomes an admin. */
  public Future<Void> changeOwner(AccountActor actor, UUID newOwner) {
    Permissions.require(actor, Operation.CHANGE_OWNER);
    if (newOwner == null) {
      throw Problem.VALIDATION_FAILED.exception("Choose the user who becomes the owner");
    }
    return accounts.changeOwner(actor, newOwner);
  }
}
