package com.partneraccess.accounts;

import com.partneraccess.authz.AccountActor;
import com.partneraccess.activity.ActivityLog;
import com.partneraccess.bus.Problem;
import com.partneraccess.connections.ConnectionRepository;
import com.partneraccess.db.Sql;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Customer accounts and their users: sign-up (R3a with a referral code), accounts a partner creates on a
 * customer's behalf with an optional owner for handover (R3b), staff (R10), subscription, cancel and owner
 * change (owner only, R9).
 */
public final class AccountRepository {
  static final String INSERT_ACCOUNT = """
      INSERT INTO accounts (id, business_name, plan, created_by_partner, created_at) VALUES ($1, $2, $3, $4, $5)""";
  static final String INSERT_USER = """
      INSERT INTO users (id, email, password_hash, name, kind, account_id, role, created_at, added_by_partner,
                         added_via_connection)
      VALUES ($1, $2, $3, $4, 'customer', $5, $6, $7, $8, $9)""";
  static final String PARTNER_BY_CODE = "SELECT id, name FROM partners WHERE referral_code = $1";
  /**
   * R24: a user a partner added and the owner has not confirmed follows the connection it came through; the
   * join derives "suspended" (access not enabled, or past its expiry) and "removed" (disconnected) when read.
   */
  static final String ACTOR = """
      SELECT u.account_id, u.role, a.business_name, a.status, u.added_by_partner IS NOT NULL AND u.confirmed_at IS NULL
             AS awaiting, p.name AS partner_name, c.access, c.expires_at, c.disconnected_at
        FROM users u JOIN accounts a ON a.id = u.account_id
        LEFT JOIN connections c ON c.id = u.added_via_connection
        LEFT JOIN partners p ON p.id = u.added_by_partner
       WHERE u.id = $1 AND u.kind = 'customer'""";
  static final String SUMMARY = """
      SELECT a.id, a.business_name, a.plan, a.status, a.job_count, a.hundredth_job_at, a.created_at, a.cancelled_at,
             a.expiry_rule_from, o.name AS owner_name, o.email AS owner_email
        FROM accounts a LEFT JOIN users o ON o.account_id = a.id AND o.role = 'owner' WHERE a.id = $1""";
  /** The users; one a partner added and the owner has not confirmed is gone once that partner is disconnected (R24). */
  static final String STAFF = """
      SELECT u.id, u.name, u.email, u.role, u.created_at, u.confirmed_at, u.added_by_partner, p.name AS added_by,
             u.added_by_partner IS NOT NULL AND u.confirmed_at IS NULL AS awaiting, c.access, c.expires_at
        FROM users u LEFT JOIN partners p ON p.id = u.added_by_partner
        LEFT JOIN connections c ON c.id = u.added_via_connection
       WHERE u.account_id = $1
         AND NOT (u.added_by_partner IS NOT NULL AND u.confirmed_at IS NULL AND c.disconnected_at IS NOT NULL)
       ORDER BY CASE u.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, u.name LIMIT 200""";
  static final String CONFIRM = """
      UPDATE users u SET confirmed_at = $3 FROM connections c
       WHERE u.id = $2 AND u.account_id = $1 AND u.added_by_partner IS NOT NULL AND u.confirmed_at IS NULL
         AND c.id = u.added_via_connection AND c.disconnected_at IS NULL
      RETURNING u.name, u.added_by_partner""";
  static final String CREATED_AND_OWNERLESS = """
      SELECT 1 FROM accounts a WHERE a.id = $1 AND a.created_by_partner = $2
         AND NOT EXISTS (SELECT 1 FROM users o WHERE o.account_id = a.id AND o.role = 'owner')""";
  static final String HAS_OWNER = "SELECT 1 FROM users WHERE account_id = $1 AND role = 'owner'";
  static final String SET_PLAN = "UPDATE accounts SET plan = $2 WHERE id = $1 AND status = 'active' RETURNING plan";
  static final String CANCEL = """
      UPDATE accounts SET status = 'cancelled', cancelled_at = $2 WHERE id = $1 AND status = 'active' RETURNING id""";
  static final String DEMOTE_OWNER = "UPDATE users SET role = 'admin' WHERE account_id = $1 AND role = 'owner'";
  /** R24: a user a partner added becomes owner only once the owner has confirmed them. */
  static final String PROMOTE = """
      UPDATE users SET role = 'owner' WHERE id = $2 AND account_id = $1 AND kind = 'customer'
         AND (added_by_partner IS NULL OR confirmed_at IS NOT NULL) RETURNING name""";
  static final String CONNECTED_PARTNER = """
      SELECT 1 FROM connections WHERE account_id = $1 AND partner_id = $2 AND disconnected_at IS NULL""";

  private final Pool pool;
  private final AppClock clock;

  public AccountRepository(Pool pool, AppClock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  public record NewUser(String name, String email, String passwordHash) {}

  public record SignedUp(UUID accountId, UUID userId, UUID partnerId, String partnerName) {}

  /** R3a/R6: a customer signs up; with a partner's referral code it joins that partner with access disabled. */
  public Future<SignedUp> signUp(String businessName, String plan, NewUser owner, String referralCode) {
    OffsetDateTime now = clock.nowUtc();
    UUID accountId = UUID.randomUUID();
    UUID userId = UUID.randomUUID();
    return pool.withTransaction(tx -> {
      Future<Row> partner = referralCode == null || referralCode.isBlank()
          ? Future.succeededFuture(null)
          : tx.preparedQuery(PARTNER_BY_CODE).execute(Tuple.of(referralCode.strip())).compose(rows -> Sql.first(rows) == null
              ? Future.failedFuture(Problem.UNKNOWN_REFERRAL_CODE.exception(
                  "No partner has the referral code '" + referralCode.strip() + "'"))
              : Future.succeededFuture(Sql.first(rows)));
      return partner.compose(p -> insertAccount(tx, accountId, businessName, plan, null, now)
          .compose(v -> insertUser(tx, userId, owner, accountId, "owner", now))
          .compose(v -> ActivityLog.record(tx, accountId, now, "account.created", userId, null,
              owner.name() + " created the account"))
          .compose(v -> p == null ? Future.succeededFuture(new SignedUp(accountId, userId, null, null))
              : ConnectionRepository.insert(tx, p.getUUID("id"), accountId, "referral", "disabled", now)
                  .compose(c -> ActivityLog.record(tx, accountId, now, "partner.connected", userId, p.getUUID("id"),
                      "Connected to partner " + p.getString("name") + " through its referral link; access is off until enabled"))
                  .map(x -> new SignedUp(accountId, userId, p.getUUID("id"), p.getString("name")))));
    });
  }

  /** The account a partner created, with the claim link for its owner when one was named (R25). */
  public record Created(UUID accountId, OwnerClaimRepository.Claim claim) {}

  /**
   * R3b/R6/R25: a partner registers an account on the customer's behalf; access starts enabled. The account
   * has no owner until the owner named here (if any) claims it from the e-mailed link and sets a password.
   */
  public Future<Created> createForPartner(UUID partnerId, String partnerName, String businessName, String plan,
                                          OwnerClaimRepository.Owner owner, OwnerClaimRepository claims) {
    OffsetDateTime now = clock.nowUtc();
    UUID accountId = UUID.randomUUID();
    return pool.withTransaction(tx -> insertAccount(tx, accountId, businessName, plan, partnerId, now)
        .compose(v -> ConnectionRepository.insert(tx, partnerId, accountId, "created", "enabled", now))
        .compose(v -> ActivityLog.record(tx, accountId, now, "account.created", null, partnerId,
            "Partner " + partnerName + " created the account"))
        .compose(v -> owner == null ? Future.<OwnerClaimRepository.Claim>succeededFuture(null)
            : claims.insert(tx, accountId, partnerId, owner, now))
        .map(claim -> new Created(accountId, claim)));
  }

  /** R25: refuses a partner leaving an account it created before the owner claimed it. */
  public Future<Void> refuseLeavingBeforeHandover(UUID partnerId, UUID accountId) {
    return pool.preparedQuery(CREATED_AND_OWNERLESS).execute(Tuple.of(accountId, partnerId)).compose(rows ->
        rows.size() == 0 ? Future.succeededFuture() : Future.failedFuture(Problem.HANDOVER_PENDING.exception(
            "You created this account and it has no owner yet: hand it over first (the owner claims it from the "
                + "e-mailed link and sets a password), then you can disconnect")));
  }

  private static Future<Void> insertAccount(SqlClient tx, UUID id, String name, String plan, UUID partnerId,
                                            OffsetDateTime now) {
    return tx.preparedQuery(INSERT_ACCOUNT).execute(Tuple.of(id, name.strip(), plan, partnerId, now)).mapEmpty();
  }

  static Future<Void> insertUser(SqlClient tx, UUID id, NewUser u, UUID accountId, String role, OffsetDateTime now) {
    return insertUser(tx, id, u, accountId, role, now, null, null);
  }

  /** A user; {@code partnerId} and {@code connectionId} when a partner added them (R24: they follow its access). */
  static Future<Void> insertUser(SqlClient tx, UUID id, NewUser u, UUID accountId, String role, OffsetDateTime now,
                                 UUID partnerId, UUID connectionId) {
    return tx.preparedQuery(INSERT_USER)
        .execute(Tuple.from(new Object[] {id, u.email().strip(), u.passwordHash(), u.name().strip(), accountId, role, now,
            partnerId, connectionId}))
        .recover(err -> Future.failedFuture(Sql.uniqueAs("users_email_key", Problem.EMAIL_TAKEN,
            "The email " + u.email().strip() + " is already registered").apply(err)))
        .mapEmpty();
  }

  /**
   * Resolves a customer user to the actor inside its account; the role is read fresh, not from the token. R24:
   * a user a partner added and the owner has not confirmed works only while that partner's access does.
   */
  public Future<AccountActor> actorFor(UUID userId) {
    return pool.preparedQuery(ACTOR).execute(Tuple.of(userId)).compose(rows -> {
      Row r = Sql.first(rows);
      if (r == null) {
        return Future.failedFuture(Problem.TOKEN_INVALID.exception("This user no longer exists"));
      }
      boolean awaiting = Boolean.TRUE.equals(r.getBoolean("awaiting"));
      if (awaiting) {
        String partner = r.getString("partner_name");
        String business = r.getString("business_name");
        OffsetDateTime expires = r.getOffsetDateTime("expires_at");
        if (r.getValue("disconnected_at") != null) {
          return Future.failedFuture(Problem.NOT_CONNECTED.exception("You were added by partner " + partner
              + ", who is no longer connected to " + business + ", so your access ended with theirs (R24); "
              + "ask the owner to add you"));
        }
        if (!"enabled".equals(r.getString("access"))
            || (expires != null && !expires.toInstant().isAfter(clock.now()))) {
          boolean expired = "expired".equals(r.getString("access")) || "enabled".equals(r.getString("access"));
          return Future.failedFuture((expired ? Problem.ACCESS_EXPIRED : Problem.ACCESS_DISABLED).exception(
              "You were added by partner " + partner + " and your access follows theirs until the owner of "
                  + business + " confirms you (R24); " + partner + "'s access is "
                  + (expired ? "expired" : "disabled") + " now"));
        }
      }
      return Future.succeededFuture(new AccountActor(r.getUUID("account_id"), userId, r.getString("role"), null, null,
          r.getString("business_name"), r.getString("status"), awaiting));
    });
  }

  public Future<JsonObject> summary(UUID accountId) {
    return pool.preparedQuery(SUMMARY).execute(Tuple.of(accountId)).compose(rows -> {
      Row r = Sql.first(rows);
      if (r == null) {
        return Future.failedFuture(Problem.NOT_FOUND.exception("No such account"));
      }
      return Future.succeededFuture(new JsonObject()
          .put("id", r.getUUID("id").toString())
          .put("businessName", r.getString("business_name"))
          .put("plan", r.getString("plan"))
          .put("status", r.getString("status"))
          .put("jobCount", r.getInteger("job_count"))
          .put("jobThresholdReachedAt", Sql.iso(r, "hundredth_job_at"))
          .put("expiryRuleFrom", Sql.iso(r, "expiry_rule_from"))
          .put("createdAt", Sql.iso(r, "created_at"))
          .put("cancelledAt", Sql.iso(r, "cancelled_at"))
          .put("ownerName", r.getString("owner_name"))
          .put("ownerEmail", r.getString("owner_email")));
    });
  }

  /** The users, each with who added it: a partner's are marked, awaiting confirmation and suspended (R24). */
  public Future<JsonArray> staff(UUID accountId) {
    java.time.Instant now = clock.now();
    return pool.preparedQuery(STAFF).execute(Tuple.of(accountId)).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> {
        boolean awaiting = Boolean.TRUE.equals(r.getBoolean("awaiting"));
        OffsetDateTime expires = r.getOffsetDateTime("expires_at");
        boolean suspended = awaiting && (!"enabled".equals(r.getString("access"))
            || (expires != null && !expires.toInstant().isAfter(now)));
        UUID partner = r.getUUID("added_by_partner");
        out.add(new JsonObject().put("userId", r.getUUID("id").toString()).put("name", r.getString("name"))
            .put("email", r.getString("email")).put("role", r.getString("role")).put("type", "staff")
            .put("createdAt", Sql.iso(r, "created_at"))
            .put("addedBy", r.getString("added_by"))
            .put("addedByPartnerId", partner == null ? null : partner.toString())
            .put("awaitingConfirmation", awaiting)
            .put("suspended", suspended)
            .put("confirmedAt", Sql.iso(r, "confirmed_at")));
      });
      return out;
    });
  }

  /** R10: the owner or an admin adds a staff user with a role and a password (a partner only invites, R24). */
  public Future<UUID> addStaff(AccountActor actor, NewUser user, String role) {
    OffsetDateTime now = clock.nowUtc();
    UUID id = UUID.randomUUID();
    return pool.withTransaction(tx -> insertUser(tx, id, user, actor.accountId(), role, now)
        .compose(v -> ActivityLog.record(tx, actor.accountId(), now, "staff.added", actor.userId(), actor.partnerId(),
            "Added " + user.name().strip() + " (" + user.email().strip() + ") as " + role))
        .map(v -> id));
  }

  /** R24: the owner confirms a user a partner added; the user then keeps access by its role alone. */
  public Future<String> confirmStaff(AccountActor actor, UUID userId) {
    OffsetDateTime now = clock.nowUtc();
    return pool.withTransaction(tx -> tx.preparedQuery(CONFIRM).execute(Tuple.of(actor.accountId(), userId, now))
        .compose(rows -> {
          Row r = Sql.first(rows);
          if (r == null) {
            return Future.failedFuture(Problem.NOT_FOUND.exception(
                "No user of this account is waiting for your confirmation with that id"));
          }
          return ActivityLog.record(tx, actor.accountId(), now, "staff.confirmed", actor.userId(),
                  r.getUUID("added_by_partner"), "Confirmed " + r.getString("name")
                      + ": their access no longer follows the partner who added them")
              .map(r.getString("name"));
        }));
  }

  public Future<String> changePlan(AccountActor actor, String plan) {
    OffsetDateTime now = clock.nowUtc();
    return pool.withTransaction(tx -> tx.preparedQuery(SET_PLAN).execute(Tuple.of(actor.accountId(), plan))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(Problem.ACCOUNT_CANCELLED.exception("A cancelled account has no subscription to change"))
            : ActivityLog.record(tx, actor.accountId(), now, "subscription.changed", actor.userId(), null,
                "Changed the subscription to " + plan).map(plan)));
  }

  public Future<Void> cancel(AccountActor actor, String reason) {
    OffsetDateTime now = clock.nowUtc();
    return pool.withTransaction(tx -> tx.preparedQuery(CANCEL).execute(Tuple.of(actor.accountId(), now))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(Problem.ACCOUNT_CANCELLED.exception("The account is already cancelled"))
            : ActivityLog.record(tx, actor.accountId(), now, "account.cancelled", actor.userId(), null,
                "Cancelled the account" + (reason == null || reason.isBlank() ? "" : " (reason: " + reason.strip() + ")"))));
  }

  /** R9: only the owner hands ownership to another user of the account; the old owner becomes an admin. */
  public Future<Void> changeOwner(AccountActor actor, UUID newOwnerId) {
    OffsetDateTime now = clock.nowUtc();
    if (newOwnerId.equals(actor.userId())) {
      return Future.failedFuture(Problem.CONFLICT.exception("You are already the owner"));
    }
    return pool.withTransaction(tx -> tx.preparedQuery(DEMOTE_OWNER).execute(Tuple.of(actor.accountId()))
        .compose(v -> tx.preparedQuery(PROMOTE).execute(Tuple.of(actor.accountId(), newOwnerId)))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(Problem.NOT_FOUND.exception("No user with that id in this account (a user a partner "
                + "added must be confirmed before they can become the owner)"))
            : ActivityLog.record(tx, actor.accountId(), now, "owner.changed", actor.userId(), null,
                "Made " + Sql.first(rows).getString("name") + " the account owner")));
  }
}
