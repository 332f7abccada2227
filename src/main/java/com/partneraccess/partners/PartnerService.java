package com.partneraccess.partners;

import com.partneraccess.access.AccessClient;
import com.partneraccess.accounts.AccountRepository;
import com.partneraccess.accounts.OwnerClaimRepository;
import com.partneraccess.accounts.OwnerClaims;
import com.partneraccess.activity.ActivityLog;
import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.authz.Principal;
import com.partneraccess.bus.Input;
import com.partneraccess.bus.Problem;
import com.partneraccess.commission.CommissionRepository;
import com.partneraccess.commission.Credits;
import com.partneraccess.commission.Plans;
import com.partneraccess.identity.IdentityRepository;
import com.partneraccess.identity.PasswordHasher;
import com.partneraccess.identity.TokenService;
import com.partneraccess.notifications.NotificationKind;
import com.partneraccess.notifications.NotificationStore;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.UUID;

/**
 * THE home of the partner organisation's own operations: add a customer on its behalf (R3b) and hand it
 * over by a claim link e-mailed to its owner (R25), log in to a customer (R8, R11, R23), and the profile with the referral link and credits (R22).
 */
public final class PartnerService {
  /** R31: "logged in at 10:42 UTC". */
  private static final DateTimeFormatter LOGIN_TIME = DateTimeFormatter.ofPattern("HH:mm 'UTC'");

  private final Pool pool;
  private final AppClock clock;
  private final AccessClient access;
  private final AccountRepository accounts;
  private final IdentityRepository identity;
  private final CommissionRepository commission;
  private final PasswordHasher hasher;
  private final TokenService tokens;
  private final Plans plans;
  private final String publicUrl;
  private final OwnerClaimRepository claims;
  private final OwnerClaims claimMail;

  public PartnerService(Pool pool, AppClock clock, AccessClient access, AccountRepository accounts,
                        IdentityRepository identity, CommissionRepository commission, PasswordHasher hasher,
                        TokenService tokens, Plans plans, String publicUrl, OwnerClaimRepository claims,
                        OwnerClaims claimMail) {
    this.claims = claims;
    this.claimMail = claimMail;
    this.pool = pool;
    this.clock = clock;
    this.access = access;
    this.accounts = accounts;
    this.identity = identity;
    this.commission = commission;
    this.hasher = hasher;
    this.tokens = tokens;
    this.plans = plans;
    this.publicUrl = publicUrl;
  }

  public Plans plans() {
    return plans;
  }

  /**
   * The account's future owner, for handover: a name and an e-mail. R25: {@code password} is there only to be
   * refused: the partner never chooses the owner's password.
   */
  public record Owner(String name, String email, String password) {}

  public record AddCustomer(String businessName, String plan, Owner owner) {}

  /** The account added, and the claim link sent to its owner when one was named (else null). */
  public record CustomerAdded(UUID accountId, String businessName, OwnerClaims.Sent claim) {}

  /**
   * R3b/R6/R25: the partner registers an account on the customer's behalf; its access starts enabled. With an
   * owner, the owner is e-mailed a link to claim the account and set its own password.
   */
  public Future<CustomerAdded> addCustomer(Principal partner, AddCustomer cmd) {
    Permissions.require(partner, Operation.ADD_CUSTOMER);
    String business = Input.requiredText(cmd.businessName(), "Business name", Input.NAME_MAX);
    String plan = plans.require(cmd.plan());
    OwnerClaimRepository.Owner owner = owner(cmd.owner(), false);
    return identity.partner(partner.partnerId()).compose(org ->
        accounts.createForPartner(partner.partnerId(), org.name(), business, plan, owner, claims)
            .compose(created -> created.claim() == null
                ? Future.succeededFuture(new CustomerAdded(created.accountId(), business, null))
                : claimMail.send(created.claim(), business, org.name())
                    .map(sent -> new CustomerAdded(created.accountId(), business, sent))));
  }

  /** R25: a connected partner hands over an account it created that has no owner yet: the owner gets a claim link. */
  public Future<OwnerClaims.Sent> handOver(Principal partner, UUID accountId, Owner cmd) {
    Permissions.require(partner, Operation.HAND_OVER_CUSTOMER);
    OwnerClaimRepository.Owner owner = owner(cmd, true);
    return claims.handOver(accountId, partner.partnerId(), owner)
        .compose(h -> claimMail.send(h.claim(), h.businessName(), h.partnerName()));
  }

  /** R25: the accounts this partner created that wait for their owner's claim (the Customers page's Hand over). */
  public Future<Set<UUID>> awaitingHandover(Principal partner) {
    Permissions.require(partner, Operation.HAND_OVER_CUSTOMER);
    return claims.awaitingHandover(partner.partnerId());
  }

  private static OwnerClaimRepository.Owner owner(Owner o, boolean required) {
    if (o != null && o.password() != null && !o.password().isEmpty()) {
      throw Problem.VALIDATION_FAILED.exception("Leave the owner's password out: the owner sets it from the link "
          + "we e-mail them, and a partner never chooses it (R25)");
    }
    boolean any = o != null && (notBlank(o.name()) || notBlank(o.email()));
    if (!any) {
      if (required) {
        throw Problem.VALIDATION_FAILED.exception("Give the account owner's name and email");
      }
      return null;
    }
    String name = Input.requiredText(o.name(), "Account owner name", Input.NAME_MAX);
    String email = Input.requiredEmail(o.email(), "Account owner email");
    return new OwnerClaimRepository.Owner(name, email);
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  /** The account-scoped session a log-in opens. */
  public record Session(String token, UUID accountId, String businessName, String accessExpiresAt) {}

  /**
   * R8/R11/R23: log in to a customer's account. The access check (which also records the access) decides;
   * the log-in is written to the account's activity history; the reply is an account-scoped token.
   */
  public Future<Session> logIn(Principal partner, UUID accountId) {
    Permissions.require(partner, Operation.LOG_IN_TO_CUSTOMER);
    OffsetDateTime now = clock.nowUtc();
    return access.check(partner.partnerId(), partner.userId(), accountId).compose(grant -> pool.withTransaction(tx ->
            ActivityLog.record(tx, accountId, now, "partner.login", partner.userId(), partner.partnerId(),
                partner.name() + " logged in as partner")
            // R31: the owner, and admins who opted in, are told who logged in and when
            .compose(v -> NotificationStore.record(tx, NotificationKind.PARTNER_LOGGED_IN,
                new NotificationStore.Event(accountId, partner.partnerId(), partner.name(), LOGIN_TIME.format(now), null),
                now)))
        .map(v -> {
          Principal scoped = partner.scopedTo(accountId);
          return new Session(tokens.issue(scoped), accountId, grant.businessName(),
              grant.expiresAt() == null ? null : grant.expiresAt().toString());
        }));
  }

  /** R22: the partner's name, referral link, credits and tier. */
  public record Profile(UUID partnerId, String name, String referralCode, String referralLink, Credits credits) {}

  public Future<Profile> profile(Principal partner) {
    Permissions.require(partner, Operation.VIEW_PROFILE);
    return identity.partner(partner.partnerId()).compose(org -> commission.credits(partner.partnerId())
        .map(credits -> new Profile(org.id(), org.name(), org.referralCode(), referralLink(org.referralCode()),
            credits)));
  }

  public String referralLink(String code) {
    return publicUrl + "/signup?ref=" + code;
  }
}
