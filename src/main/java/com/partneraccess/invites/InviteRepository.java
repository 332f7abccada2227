package com.partneraccess.invites;

import com.partneraccess.activity.ActivityLog;
import com.partneraccess.bus.Problem;
import com.partneraccess.connections.ConnectionRepository;
import com.partneraccess.db.Sql;
import com.partneraccess.notifications.NotificationKind;
import com.partneraccess.notifications.NotificationStore;
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
  static final String ACCOUNT_EXISTS = "SELECT 1 FROM accounts WHERE id = $1";
  static final String LIVE_CONNECTION = """
      SELECT 1 FROM connections WHERE partner_id = $1 AND account_id = $2 AND disconnected_at IS NULL""";
  /** One pending invite per partner and account id / e-mail (unique indexes): a second one inserts nothing. */
  static final String INSERT = """
      INSERT INTO invites (id, partner_id, account_id, email, status, created_at, expires_at)
      VALUES ($1, $2, $3, $4, 'pending', $5, $6) ON CONFLICT DO NOTHING RETURNING id""";
  static final String PENDING_BY_ACCOUNT = """
      SELECT id, expires_at FROM invites WHERE partner_id = $1 AND account_id = $2 AND email IS NULL AND status = 'pending'""";
  static final String PENDING_BY_EMAIL = """
      SELECT id, expires_at FROM invites WHERE partner_id = $1 AND lower(email) = lower($2) AND status = 'pending'""";
  /** Fixed-window count of a partner's sends ({@code invite} or {@code resend}); returns the count and window start. */
  static final String COUNT_SEND = """
      INSERT INTO invite_send_counts AS c (partner_id, action, sends, window_start) VALUES ($1, $2, 1, $3)
      ON CONFLICT (partner_id, action) DO UPDATE SET
        sends = CASE WHEN c.window_start <= $4 THEN 1 ELSE c.sends + 1 END,
        window_start = CASE WHEN c.window_start <= $4 THEN $3 ELSE c.window_start END
      RETURNING sends, window_start""";
  static final String SELECT_COLUMNS = """
      SELECT i.id, i.partner_id, p.name AS partner_name, i.account_id, a.business_name, i.email, i.status,
             i.created_at, i.expires_at, i.decided_at, o.email AS owner_email
        FROM invites i JOIN partners p ON p.id = i.partner_id LEFT JOIN accounts a ON a.id = i.account_id
        LEFT JOIN users o ON o.account_id = i.account_id AND o.role = 'owner'""";
  /**
   * One page of a partner's invites, newest first: $2 the status filter (null: all; "open": pending or expired),
   * $3 the moment that decides expired, after the cursor ($4, $5) when given; $6 is the page size plus one.
   */
  static final String BY_PARTNER = SELECT_COLUMNS + "\n" + """
       WHERE i.partner_id = $1
         AND ($2::text IS NULL
              OR ($2 = 'open' AND i.status = 'pending')
              OR ($2 = 'pending' AND i.status = 'pending' AND i.expires_at > $3)
              OR ($2 = 'expired' AND i.status = 'pending' AND i.expires_at <= $3)
              OR ($2 NOT IN ('open', 'pending', 'expired') AND i.status = $2))
         AND ($4::timestamptz IS NULL OR (i.created_at, i.id) < ($4::timestamptz, $5::uuid))
       ORDER BY i.created_at DESC, i.id DESC LIMIT $6""";
  /** One page, newest first, after the cursor ($3, $4) when given; $5 is the page size plus one. */
  static final String FOR_ACCOUNT = SELECT_COLUMNS + "\n" + """
       WHERE i.status = 'pending'
         AND (i.account_id = $1 OR (i.account_id IS NULL AND lower(i.email) = lower($2)))
         AND ($3::timestamptz IS NULL OR (i.created_at, i.id) < ($3::timestamptz, $4::uuid))
       ORDER BY i.created_at DESC, i.id DESC LIMIT $5""";
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

  /**
   * What sending an invite did: the invite (with its recipient), whether it was a pending one sent again, and whether
   * that one had expired (it is valid again now).
   */
  public record Sent(JsonObject invite, boolean resent, boolean hadExpired) {}

  /**
   * R1: a partner invites an existing account (by id) or an email address. When the partner already has a pending
   * invite to that account id or address, that invite is sent again (valid for another full period) instead.
   */
  public Future<Sent> create(UUID partnerId, UUID accountId, String email) {
    String cleanEmail = email == null || email.isBlank() ? null : email.strip();
    Future<UUID> target;
    if (accountId != null) {
      target = pool.preparedQuery(ACCOUNT_EXISTS).execute(Tuple.of(accountId)).compose(rows -> rows.size() == 0
          ? Future.failedFuture(Problem.NOT_FOUND.exception("No account with that id")) : Future.succeededFuture(accountId));
    } else {
      target = pool.preparedQuery(OWNER_ACCOUNT_BY_EMAIL).execute(Tuple.of(cleanEmail))
          .map(rows -> Sql.first(rows) == null ? null : Sql.first(rows).getUUID("account_id"));
    }
    return target.compose(acct -> (acct == null ? Future.succeededFuture(0)
            : pool.preparedQuery(LIVE_CONNECTION).execute(Tuple.of(partnerId, acct)).map(r -> r.size()))
        .compose(live -> live > 0
            ? Future.failedFuture(Problem.ALREADY_CONNECTED.exception("You are already connected to this customer"))
            : insertOrResend(partnerId, acct, cleanEmail, 2)));
  }

  private Future<Sent> insertOrResend(UUID partnerId, UUID accountId, String email, int tries) {
    OffsetDateTime now = clock.nowUtc();
    UUID id = UUID.randomUUID();
    return pool.withTransaction(tx -> tx.preparedQuery(INSERT)
            .execute(Tuple.of(id, partnerId, accountId, email, now, now.plus(validity)))
            .compose(inserted -> inserted.size() == 0 || accountId == null ? Future.succeededFuture(inserted)
                : NotificationStore.record(tx, NotificationKind.INVITE_RECEIVED, accountId, partnerId, now).map(inserted)))
        .compose(inserted -> {
          if (inserted.size() > 0) {
            return one(id).map(i -> new Sent(i, false, false));
          }
          Future<io.vertx.sqlclient.RowSet<Row>> pending = email == null
              ? pool.preparedQuery(PENDING_BY_ACCOUNT).execute(Tuple.of(partnerId, accountId))
              : pool.preparedQuery(PENDING_BY_EMAIL).execute(Tuple.of(partnerId, email));
          return pending.compose(rows -> {
            Row r = Sql.first(rows);
            if (r == null) { // decided between the insert and this read: try once more
              return tries > 1 ? insertOrResend(partnerId, accountId, email, tries - 1)
                  : Future.failedFuture(Problem.CONFLICT.exception("The invite changed meanwhile; try again"));
            }
            boolean hadExpired = !r.getOffsetDateTime("expires_at").isAfter(now);
            return resend(partnerId, r.getUUID("id")).map(i -> new Sent(i, true, hadExpired));
          });
        });
  }

  /**
   * Counts one send of {@code action} ("invite" or "resend") by the partner in the current window of {@code window};
   * fails with 429 and Retry-After when that makes more than {@code max}.
   */
  public Future<Void> countSend(UUID partnerId, String action, int max, Duration window) {
    OffsetDateTime now = clock.nowUtc();
    return pool.preparedQuery(COUNT_SEND).execute(Tuple.of(partnerId, action, now, now.minus(window))).compose(rows -> {
      Row r = Sql.first(rows);
      if (r.getInteger("sends") <= max) {
        return Future.succeededFuture();
      }
      long seconds = Math.max(1, Duration.between(now, r.getOffsetDateTime("window_start").plus(window)).toSeconds() + 1);
      long minutes = Math.max(1, (seconds + 59) / 60);
      return Future.failedFuture(Problem.TOO_MANY_ATTEMPTS.exception("You sent " + max + " "
          + ("resend".equals(action) ? "invites again" : "invites") + " in the last " + window.toMinutes()
          + " minutes, the most allowed; try again in " + minutes + (minutes == 1 ? " minute" : " minutes"), seconds));
    });
  }

  private Future<JsonObject> one(UUID id) {
    return pool.preparedQuery(SELECT_COLUMNS + " WHERE i.id = $1").execute(Tuple.of(id))
        .map(rows -> toJson(Sql.first(rows)));
  }

  /** One page of a partner's invites (status: null for all, "open", pending, expired, accepted …), newest first. */
  public Future<Page> ofPartner(UUID partnerId, String status, String cursor, int limit) {
    Object[] after = decodeCursor(cursor);
    return pool.preparedQuery(BY_PARTNER)
        .execute(Tuple.of(partnerId, status, clock.nowUtc(), after[0], after[1], limit + 1)).map(rows -> page(rows, limit));
  }

  /** One page of the pending invites an account's owner can accept or decline, and the cursor of the next. */
  public record Page(JsonArray invites, String nextCursor) {}

  /**
   * The pending invites an account's owner can accept or decline (by account, or by the owner's email), newest
   * first, {@code limit} at a time, after {@code cursor} (from the previous page) when given.
   */
  public Future<Page> forAccount(UUID accountId, String cursor, int limit) {
    Object[] after = decodeCursor(cursor);
    return ownerEmail(accountId).compose(email -> pool.preparedQuery(FOR_ACCOUNT)
        .execute(Tuple.of(accountId, email, after[0], after[1], limit + 1)).map(rows -> page(rows, limit)));
  }

  private Page page(io.vertx.sqlclient.RowSet<Row> rows, int limit) {
    JsonArray out = new JsonArray();
    String next = null;
    for (Row r : rows) {
      if (out.size() == limit) {
        next = encodeCursor(out.getJsonObject(out.size() - 1));
        break;
      }
      out.add(toJson(r));
    }
    return new Page(out, next);
  }

  private static String encodeCursor(JsonObject last) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString((last.getString("createdAt") + "|"
        + last.getString("id")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static Object[] decodeCursor(String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return new Object[] {null, null};
    }
    try {
      String s = new String(java.util.Base64.getUrlDecoder().decode(cursor.strip()), java.nio.charset.StandardCharsets.UTF_8);
      int bar = s.indexOf('|');
      return new Object[] {java.time.Instant.parse(s.substring(0, bar)).atOffset(java.time.ZoneOffset.UTC),
          UUID.fromString(s.substring(bar + 1))};
    } catch (RuntimeException e) {
      throw Problem.VALIDATION_FAILED.exception("cursor is not one this service gave out; use nextCursor of the previous page");
    }
  }

  /** One invite the account's owner can accept or decline (pending, possibly expired), or 404. */
  public Future<JsonObject> oneForAccount(UUID accountId, UUID inviteId) {
    return ownerEmail(accountId).compose(email -> pool.preparedQuery(SELECT_COLUMNS + "\n" + """
         WHERE i.id = $1 AND i.status = 'pending'
           AND (i.account_id = $2 OR (i.account_id IS NULL AND lower(i.email) = lower($3)))""")
        .execute(Tuple.of(inviteId, accountId, email)).compose(rows -> Sql.first(rows) == null
            ? Future.failedFuture(Problem.NOT_FOUND.exception("This invite is not waiting for your answer: it was "
                + "accepted, declined or withdrawn, or it is for another account"))
            : Future.succeededFuture(toJson(Sql.first(rows)))));
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
                "Declined a partner invite")
                .compose(v -> NotificationStore.record(tx, NotificationKind.INVITE_DECLINED, accountId, partnerId, now))
                .map(partnerId);
          }
          return ConnectionRepository.insert(tx, partnerId, accountId, "invite", "enabled", now)
              .compose(c -> tx.preparedQuery(VOID_OTHER_INVITES).execute(Tuple.of(partnerId, inviteId, accountId, now, email)))
              .compose(c -> ActivityLog.record(tx, accountId, now, "partner.connected", ownerUserId, partnerId,
                  "Accepted a partner invite; partner access is enabled"))
              .compose(v -> NotificationStore.record(tx, NotificationKind.INVITE_ACCEPTED, accountId, partnerId, now))
              .map(partnerId);
        })));
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
