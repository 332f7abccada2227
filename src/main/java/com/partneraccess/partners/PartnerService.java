package com.partneraccess.partners;

import com.partneraccess.access.AccessClient;
import com.partneraccess.accounts.AccountRepository;
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
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * THE home of the partner organisation's own operations: add a customer on its behalf (R3b) and hand it
 * over, log in to a customer (R8, R11, R23), and the profile with the referral link and credits (R22).
 */
public final class PartnerService {
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

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

  public PartnerService(Pool pool, AppClock clock, AccessClient access, AccountRepository accounts,
                        IdentityRepository identity, CommissionRepository commission, PasswordHasher hasher,
                        TokenService tokens, Plans plans, String publicUrl) {
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

  /** The account's future owner, for handover: all three or none. */
  public record Owner(String name, String email, String password) {}

  public record AddCustomer(String businessName, String plan, Owner owner) {}

  public record CustomerAdded(UUID accountId, UUID ownerUserId, String businessName, String ownerEmail) {}

  /** R3b/R6: the partner registers an account on the customer's behalf; its access starts enabled. */
  public Future<CustomerAdded> addCustomer(Principal partner, AddCustomer cmd) {
    Permissions.require(partner, Operation.ADD_CUSTOMER);
    String business = Input.requiredText(cmd.businessName(), "Business name", Input.NAME_MAX);
    String plan = plans.require(cmd.plan());
    Owner owner = owner(cmd.owner(), false);
    Future<AccountRepository.NewUser> newUser = owner == null ? Future.succeededFuture(null)
        : hasher.hash(owner.password()).map(h -> new AccountRepository.NewUser(owner.name(), owner.email(), h));
    return identity.partner(partner.partnerId()).compose(org -> newUser.compose(o ->
            accounts.createForPartner(partner.partnerId(), org.name(), partner.userId(), business, plan, o)))
        .map(s -> new CustomerAdded(s.accountId(), s.userId(), business, owner == null ? null : owner.email()));
  }

  /** Handover: a connected partner sets the owner of an account it created that has none yet. */
  public Future<UUID> handOver(Principal partner, UUID accountId, Owner cmd) {
    Permissions.require(partner, Operation.HAND_OVER_CUSTOMER);
    Owner owner = owner(cmd, true);
    return hasher.hash(owner.password()).compose(h -> accounts.addOwner(accountId, partner.partnerId(),
        new AccountRepository.NewUser(owner.name(), owner.email(), h)));
  }

  private static Owner owner(Owner o, boolean required) {
    boolean any = o != null && (notBlank(o.name()) || notBlank(o.email()) || notBlank(o.password()));
    if (!any) {
      if (required) {
        throw Problem.VALIDATION_FAILED.exception("Give the account owner's name, email and password");
      }
      return null;
    }
    String name = Input.requiredText(o.name(), "Account owner name", Input.NAME_MAX);
    String email = Input.requiredText(o.email(), "Account owner email", 254);
    if (!EMAIL.matcher(email).matches()) {
      throw Problem.VALIDATION_FAILED.exception("Account owner email does not look like an email address");
    }
    String password = o.password();
    if (password == null || password.isEmpty()) {
      throw Problem.VALIDATION_FAILED.exception("Account owner password is required");
    }
    if (password.length() < 8 || password.length() > 200) {
      throw Problem.VALIDATION_FAILED.exception("Account owner password must have 8 to 200 characters");
    }
    return new Owner(name, email, password);
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
    return access.check(partner.partnerId(), accountId).compose(grant -> pool.withConnection(c ->
            ActivityLog.record(c, accountId, clock.nowUtc(), "partner.login", partner.userId(), partner.partnerId(),
                partner.name() + " logged in as partner"))
        .map(v -> {
          Principal scoped = new Principal(partner.userId(), Principal.Kind.PARTNER, accountId, null,
              partner.partnerId(), partner.name());
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
