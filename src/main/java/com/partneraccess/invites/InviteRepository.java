package com.partneraccess.invites;

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
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Partner invites (R1, R2): only a partner sends one, to an existing account or an email address; only
 * the account owner accepts or declines; an invite is single-use and expires after {@code policy.inviteDays}.
 */
public final class InviteRepository {
  static final String OWNER_ACCOUNT_BY_EMAIL = """
      SELECT account_id FROM users WHERE lower(email) = lower($1) AND kind = 'customer' AND role = 'owner'""";
  static final String IS_PARTNER_EMAIL = "SELECT 1 FROM users WHERE lower(email) = lower($1) AND kind = 'partner'";
  static final String ACCOUNT_EXISTS = "SELECT 1 FROM accounts WHERE id = $1";
  static final String LIVE_CONNECTION = """
      SELECT 1 FROM connections WHERE partner_id = $1 AND account_id = $2 AND disconnected_at IS NULL""";
  static final String INSERT = """
      INSERT INTO invites (id, partner_id, account_id, email, status, created_at, expires_at)
      VALUES ($1, $2, $3, $4, 'pending', $5, $6)""";
  static final String SELECT_COLUMNS = """
      SELECT i.id, i.partner_id, p.name AS partner_name, i.account_id, a.business_name, i.email, i.status,
             i.created_at, i.expires_at, i.decided_at, o.email AS owner_email
        FROM invites i JOIN partners p ON p.id = i.partner_id LEFT JOIN accounts a ON a.id = i.account_id
        LEFT JOIN users o ON o.account_id = i.account_id AND o.role = 'owner'""";
  static final String BY_PARTNER = SELECT_COLUMNS + " WHERE i.partner_id = $1 ORDER BY i.created_at DESC LIMIT 500";
  static final String FOR_ACCOUNT = SELECT_COLUMNS + "\n" + """
       WHERE i.status = 'pending'
         AND (i.account_id = $1 OR (i.account_id IS NULL AND lower(i.email) = lower($2)))
       ORDER BY i.created_at DESC""";
  static final String OWNER_EMAIL = "SELECT email FROM users WHERE account_id = $1 AND role = 'owner'";
  static final String WITHDRAW = """
      UPDATE invites SET status = 'withdrawn', decided_at = $3 WHERE id = $1 AND partner_id = $2 AND status = 'pending'
      RETURNING id""";
  static final String RESEND = """
      UPDATE invites SET expires_at = $3 WHERE id = $1 AND partner_id = $2 AND status = 'pending' RETURNING id""";
  static final String STATUS_FOR_PARTNER = "SELECT status FROM invites WHERE id = $1 AND partner_id = $2";
  static final String DECIDE = """
      UPDATE invites SET status = $3, decided_at = $4, decided_by = $5, account_id = $2
       WHERE id = $1 AND status = 'pending' AND expires_at > $4
         AND (account_id = $2 OR (account_id IS NULL AND lower(email) = lower($6)))
      RETURNING partner_id""";
  /** Accepts for one account queue here, so concurrent accepts (and the voiding below) never deadlock. */
  static final String LOCK_ACCOUNT = "SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE";
  /** R20: once connected, the partner's other pending invites to the account are void (withdrawn). */
  static final String VOID_OTHER_INVITES = """
      UPDATE invites SET status = 'withdrawn', decided_at = $4
       WHERE partner_id = $1 AND status = 'pending' AND id <> $2
         AND (account_id = $3 OR (account_id IS NULL AND lower(email) = lower($5)))""";
  static final String VISIBLE_TO_ACCOUNT = """
      SELECT i.status, i.expires_at, p.name AS partner_name FROM invites i JOIN partners p ON p.id = i.partner_id
       WHERE i.id = $1 AND (i.account_id = $2 OR (i.account_id IS NULL AND lower(i.email) = lower($3)))""";

  private final Pool pool;
  private final AppClock clock;
  private final Duration validity;

  public InviteRepository(Pool pool, AppClock clock, int inviteDays) {
    this.pool = pool;
    this.clock = clock;
    this.validity = Duration.ofDays(inviteDays);
  }

  /** R1: a partner invites an existing account (by id) or an email address. */
  public Future<JsonObject> create(UUID partnerId, UUID accountId, String email) {
    OffsetDateTime now = clock.nowUtc();
    UUID id = UUID.randomUUID();
    String cleanEmail = email == null || email.isBlank() ? null : email.strip();
    Future<UUID> target;
    if (accountId != null) {
      target = pool.preparedQuery(ACCOUNT_EXISTS).execute(Tuple.of(accountId)).compose(rows -> rows.size() == 0
          ? Future.failedFuture(Problem.NOT_FOUND.exception("No account with that id")) : Future.succeededFuture(accountId));
    } else {
      target = pool.preparedQuery(IS_PARTNER_EMAIL).execute(Tuple.of(cleanEmail))
          .compose(rows -> rows.size() > 0
              ? Future.failedFuture(Problem.VALIDATION_FAILED.exception("That email belongs to a partner, not a customer"))
              : pool.preparedQuery(OWNER_ACCOUNT_BY_EMAIL).execute(Tuple.of(cleanEmail)))
          .map(rows -> Sql.first(rows) == null ? null : Sql.first(rows).getUUID("account_id"));
    }
    return target.compose(acct -> (acct == null ? Future.succeededFuture(0)
            : pool.preparedQuery(LIVE_CONNECTION).execute(Tuple.of(partnerId, acct)).map(r -> r.size()))
        .compose(live -> live > 0
            ? Future.failedFuture(Problem.ALREADY_CONNECTED.exception("You are already connected to this customer"))
            : pool.preparedQuery(INSERT).execute(Tuple.of(id, partnerId, acct, cleanEmail, now, now.plus(validity))))
        .compose(v -> one(id)));
  }

  private Future<JsonObject> one(UUID id) {
    return pool.preparedQuery(SELECT_COLUMNS + " WHERE i.id = $1").execute(Tuple.of(id))
        .map(rows -> toJson(Sql.first(rows)));
  }

  public Future<JsonArray> ofPartner(UUID partnerId) {
    return pool.preparedQuery(BY_PARTNER).execute(Tuple.of(partnerId)).map(this::toArray);
  }

  /** The pending invites an account's owner can accept or decline (by account, or by the owner's email). */
  public Future<JsonArray> forAccount(UUID accountId) {
    return ownerEmail(accountId).compose(email ->
        pool.preparedQuery(FOR_ACCOUNT).execute(Tuple.of(accountId, email)).map(this::toArray));
  }

  private Future<String> ownerEmail(UUID accountId) {
    return pool.preparedQuery(OWNER_EMAIL).execute(Tuple.of(accountId))
        .map(rows -> Sql.first(rows) == null ? "" : Sql.first(rows).getString("email"));
  }

  public Future<Void> withdraw(UUID partnerId, UUID inviteId) {
    return pool.preparedQuery(WITHDRAW).execute(Tuple.of(inviteId, partnerId, clock.nowUtc()))
        .compose(rows -> rows.size() > 0 ? Future.<Void>succeededFuture() : partnerRefusal(partnerId, inviteId));
  }

  /** Sends the invite again: it stays the same invite, valid for another full period. */
  public Future<JsonObject> resend(UUID partnerId, UUID inviteId) {
    OffsetDateTime now = clock.nowUtc();
    return pool.preparedQuery(RESEND).execute(Tuple.of(inviteId, partnerId, now.plus(validity)))
        .compose(rows -> rows.size() > 0 ? one(inviteId) : partnerRefusal(partnerId, inviteId));
  }

  private <T> Future<T> partnerRefusal(UUID partnerId, UUID inviteId) {
    return pool.preparedQuery(STATUS_FOR_PARTNER).execute(Tuple.of(inviteId, partnerId)).compose(rows -> {
      Row r = Sql.first(rows);
      return Future.failedFuture(r == null ? Problem.NOT_FOUND.exception("No such invite")
          : Problem.INVITE_NOT_PENDING.exception("The invite was already " + r.getString("status")));
    });
  }

  /** R2: the owner accepts (connects with access enabled, R6) or declines. Single use; expired invites are refused. */
  public Future<UUID> decide(UUID accountId, UUID inviteId, boolean accept, UUID ownerUserId) {
    OffsetDateTime now = clock.nowUtc();
    return ownerEmail(accountId).compose(email -> pool.withTransaction(tx -> tx.preparedQuery(LOCK_ACCOUNT)
        .execute(Tuple.of(accountId))
        .compose(locked -> tx.preparedQuery(DECIDE)
            .execute(Tuple.of(inviteId, accountId, accept ? "accepted" : "declined", now, ownerUserId, email)))
        .compose(rows -> {
          Row r = Sql.first(rows);
          if (r == null) {
            return tx.preparedQuery(VISIBLE_TO_ACCOUNT).execute(Tuple.of(inviteId, accountId, email)).compose(s -> {
              Row st = Sql.first(s);
              if (st == null) {
                return Future.failedFuture(Problem.NOT_FOUND.exception("No such invite for this account"));
              }
              if (!"pending".equals(st.getString("status"))) {
                return Future.failedFuture(Problem.INVITE_NOT_PENDING.exception(
                    "The invite was already " + st.getString("status")));
              }
              return Future.failedFuture(Problem.INVITE_EXPIRED.exception("The invite from "
                  + st.getString("partner_name") + " expired on " + st.getOffsetDateTime("expires_at").toLocalDate()
                  + "; ask the partner to send it again"));
            });
          }
          UUID partnerId = r.getUUID("partner_id");
          if (!accept) {
            return ActivityLog.record(tx, accountId, now, "invite.declined", ownerUserId, partnerId,
                "Declined a partner invite").map(partnerId);
          }
          return ConnectionRepository.insert(tx, partnerId, accountId, "invite", "enabled", now)
              .compose(c -> tx.preparedQuery(VOID_OTHER_INVITES).execute(Tuple.of(partnerId, inviteId, accountId, now, email)))
              .compose(c -> ActivityLog.record(tx, accountId, now, "partner.connected", ownerUserId, partnerId,
                  "Accepted a partner invite; partner access is enabled"))
              .map(partnerId);
        })));
  }

  private JsonArray toArray(io.vertx.sqlclient.RowSet<Row> rows) {
    JsonArray out = new JsonArray();
    rows.forEach(r -> out.add(toJson(r)));
    return out;
  }

  private JsonObject toJson(Row r) {
    OffsetDateTime expires = r.getOffsetDateTime("expires_at");
    String status = r.getString("status");
    boolean expired = "pending".equals(status) && !expires.toInstant().isAfter(clock.now());
    return new JsonObject()
        .put("id", r.getUUID("id").toString())
        .put("partnerId", r.getUUID("partner_id").toString())
        .put("partnerName", r.getString("partner_name"))
        .put("accountId", r.getUUID("account_id") == null ? null : r.getUUID("account_id").toString())
        .put("businessName", r.getString("business_name"))
        .put("email", r.getString("email"))
        .put("status", expired ? "expired" : status)
        .put("createdAt", Sql.iso(r, "created_at"))
        .put("expiresAt", expires.toInstant().toString())
        .put("decidedAt", Sql.iso(r, "decided_at"))
        .put("sentTo", r.getString("email") != null ? r.getString("email") : r.getString("owner_email"));
  }
}
