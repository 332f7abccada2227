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
      INSERT INTO users (id, email, password_hash, name, kind, account_id, role, created_at)
      VALUES ($1, $2, $3, $4, 'customer', $5, $6, $7)""";
  static final String PARTNER_BY_CODE = "SELECT id, name FROM partners WHERE referral_code = $1";
  static final String ACTOR = """
      SELECT u.account_id, u.role, a.business_name, a.status FROM users u JOIN accounts a ON a.id = u.account_id
       WHERE u.id = $1 AND u.kind = 'customer'""";
  static final String SUMMARY = """
      SELECT a.id, a.business_name, a.plan, a.status, a.job_count, a.hundredth_job_at, a.created_at, a.cancelled_at,
             a.expiry_rule_from, o.name AS owner_name, o.email AS owner_email
        FROM accounts a LEFT JOIN users o ON o.account_id = a.id AND o.role = 'owner' WHERE a.id = $1""";
  static final String STAFF = """
      SELECT id, name, email, role, created_at FROM users WHERE account_id = $1 ORDER BY
        CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, name""";
  static final String HAS_OWNER = "SELECT 1 FROM users WHERE account_id = $1 AND role = 'owner'";
  static final String SET_PLAN = "UPDATE accounts SET plan = $2 WHERE id = $1 AND status = 'active' RETURNING plan";
  static final String CANCEL = """
      UPDATE accounts SET status = 'cancelled', cancelled_at = $2 WHERE id = $1 AND status = 'active' RETURNING id""";
  static final String DEMOTE_OWNER = "UPDATE users SET role = 'admin' WHERE account_id = $1 AND role = 'owner'";
  static final String PROMOTE = """
      UPDATE users SET role = 'owner' WHERE id = $2 AND account_id = $1 AND kind = 'customer' RETURNING name""";
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

  /** R3b/R6: a partner registers an account on the customer's behalf; access starts enabled. */
  public Future<SignedUp> createForPartner(UUID partnerId, String partnerName, UUID partnerUserId, String businessName,
                                           String plan, NewUser owner) {
    OffsetDateTime now = clock.nowUtc();
    UUID accountId = UUID.randomUUID();
    UUID ownerId = owner == null ? null : UUID.randomUUID();
    return pool.withTransaction(tx -> insertAccount(tx, accountId, businessName, plan, partnerId, now)
        .compose(v -> owner == null ? Future.succeededFuture() : insertUser(tx, ownerId, owner, accountId, "owner", now))
        .compose(v -> ConnectionRepository.insert(tx, partnerId, accountId, "created", "enabled", now))
        .compose(v -> ActivityLog.record(tx, accountId, now, "account.created", null, partnerId,
            "Partner " + partnerName + " created the account"
                + (owner == null ? "" : " with " + owner.email() + " as account owner")))
        .map(v -> new SignedUp(accountId, ownerId, partnerId, partnerName)));
  }

  /** Handover: a connected partner sets the owner of an account it created that has none yet. */
  public Future<UUID> addOwner(UUID accountId, UUID partnerId, NewUser owner) {
    OffsetDateTime now = clock.nowUtc();
    UUID ownerId = UUID.randomUUID();
    return pool.withTransaction(tx -> tx.preparedQuery(CONNECTED_PARTNER).execute(Tuple.of(accountId, partnerId))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(Problem.NOT_CONNECTED.exception("You are not connected to this account"))
            : tx.preparedQuery(HAS_OWNER).execute(Tuple.of(accountId)))
        .compose(rows -> rows.size() > 0
            ? Future.failedFuture(Problem.OWNER_EXISTS.exception(
                "The account already has an owner; only that owner can hand it over"))
            : insertUser(tx, ownerId, owner, accountId, "owner", now))
        .compose(v -> ActivityLog.record(tx, accountId, now, "owner.added", null, partnerId,
            "The partner handed the account over to " + owner.email()))
        .map(v -> ownerId));
  }

  private static Future<Void> insertAccount(SqlClient tx, UUID id, String name, String plan, UUID partnerId,
                                            OffsetDateTime now) {
    return tx.preparedQuery(INSERT_ACCOUNT).execute(Tuple.of(id, name.strip(), plan, partnerId, now)).mapEmpty();
  }

  static Future<Void> insertUser(SqlClient tx, UUID id, NewUser u, UUID accountId, String role, OffsetDateTime now) {
    return tx.preparedQuery(INSERT_USER)
        .execute(Tuple.of(id, u.email().strip(), u.passwordHash(), u.name().strip(), accountId, role, now))
        .recover(err -> Future.failedFuture(Sql.uniqueAs("users_email_key", Problem.EMAIL_TAKEN,
            "The email " + u.email().strip() + " is already registered").apply(err)))
        .mapEmpty();
  }

  /** Resolves a customer user to the actor inside its account; the role is read fresh, not from the token. */
  public Future<AccountActor> actorFor(UUID userId) {
    return pool.preparedQuery(ACTOR).execute(Tuple.of(userId)).compose(rows -> {
      Row r = Sql.first(rows);
      if (r == null) {
        return Future.failedFuture(Problem.TOKEN_INVALID.exception("This user no longer exists"));
      }
      return Future.succeededFuture(new AccountActor(r.getUUID("account_id"), userId, r.getString("role"), null, null,
          r.getString("business_name"), r.getString("status")));
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

  public Future<JsonArray> staff(UUID accountId) {
    return pool.preparedQuery(STAFF).execute(Tuple.of(accountId)).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(new JsonObject().put("userId", r.getUUID("id").toString()).put("name", r.getString("name"))
          .put("email", r.getString("email")).put("role", r.getString("role")).put("type", "staff")
          .put("createdAt", Sql.iso(r, "created_at"))));
      return out;
    });
  }

  /** R10: the owner (or an admin, or a partner acting as business owner) adds a staff user with a role. */
  public Future<UUID> addStaff(AccountActor actor, NewUser user, String role) {
    OffsetDateTime now = clock.nowUtc();
    UUID id = UUID.randomUUID();
    return pool.withTransaction(tx -> insertUser(tx, id, user, actor.accountId(), role, now)
        .compose(v -> ActivityLog.record(tx, actor.accountId(), now, "staff.added", actor.userId(), actor.partnerId(),
            "Added " + user.name().strip() + " (" + user.email().strip() + ") as " + role))
        .map(v -> id));
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
            ? Future.failedFuture(Problem.NOT_FOUND.exception("No user with that id in this account"))
            : ActivityLog.record(tx, actor.accountId(), now, "owner.changed", actor.userId(), null,
                "Made " + Sql.first(rows).getString("name") + " the account owner")));
  }
}
