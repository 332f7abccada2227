package com.partneraccess.accounts;

import com.partneraccess.authz.AccountActor;
import com.partneraccess.activity.ActivityLog;
import com.partneraccess.bus.Problem;
import com.partneraccess.db.OneTimeLink;
import com.partneraccess.db.Sql;
import com.partneraccess.identity.Sha256;
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
 * R10: staff invited by email. R24: an invitation a partner made is for staff only, remembers the partner's
 * connection (the user follows it until the owner confirms them), ends with a disconnect, and raises a banner
 * for the owner when made and when accepted. The invitee follows a one-time link and chooses a password; the link's
 * token is kept only as a SHA-256 hash, is single use and expires with {@code policy.inviteDays}.
 */
public final class StaffInviteRepository {
  static final String INSERT = """
      INSERT INTO staff_invites (id, account_id, email, name, role, token_hash, status, invited_by, invited_by_partner,
                                 created_at, expires_at, connection_id)
      VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9, $10, $11)""";
  static final String EMAIL_TAKEN = "SELECT 1 FROM users WHERE lower(email) = lower($1)";
  static final String PENDING = """
      SELECT i.id, i.email, i.name, i.role, i.created_at, i.expires_at, p.name AS added_by FROM staff_invites i
        LEFT JOIN partners p ON p.id = i.invited_by_partner LEFT JOIN connections c ON c.id = i.connection_id
       WHERE i.account_id = $1 AND i.status = 'pending' AND c.disconnected_at IS NULL ORDER BY i.created_at DESC LIMIT 200""";
  static final String CLAIM = """
      UPDATE staff_invites SET status = 'accepted', accepted_at = $2
       WHERE token_hash = $1 AND status = 'pending' AND expires_at > $2
      RETURNING id, account_id, email, name, role, invited_by_partner, connection_id""";
  static final String INVITING_PARTNER = """
      SELECT c.disconnected_at, p.name, a.business_name FROM connections c JOIN partners p ON p.id = c.partner_id
        JOIN accounts a ON a.id = c.account_id WHERE c.id = $1""";
  static final String BY_TOKEN = "SELECT status, expires_at FROM staff_invites WHERE token_hash = $1";

  private static final OneTimeLink.Refusals REFUSALS = new OneTimeLink.Refusals(
      () -> Problem.NOT_FOUND.exception("This invitation link is not valid"),
      status -> Problem.INVITE_NOT_PENDING.exception("This invitation was already used"),
      expires -> Problem.INVITE_EXPIRED.exception("This invitation expired on " + expires.toLocalDate()
          + "; ask for a new one"));

  private final Pool pool;
  private final AppClock clock;
  private final Duration validity;
  private final OwnerAlerts alerts;

  public StaffInviteRepository(Pool pool, AppClock clock, int inviteDays, OwnerAlerts alerts) {
    this.pool = pool;
    this.clock = clock;
    this.validity = Duration.ofDays(inviteDays);
    this.alerts = alerts;
  }

  /** A created invitation and the one-time token for its link (shown once, never stored). */
  public record Invitation(UUID id, String token, String email, String role, String expiresAt) {}

  public Future<Invitation> invite(AccountActor actor, String name, String email, String role) {
    OffsetDateTime now = clock.nowUtc();
    UUID id = UUID.randomUUID();
    String token = OneTimeLink.newToken();
    OffsetDateTime expires = now.plus(validity);
    String who = name.strip() + " (" + email.strip() + ")";
    return pool.withTransaction(tx -> tx.preparedQuery(EMAIL_TAKEN).execute(Tuple.of(email.strip()))
        .compose(rows -> rows.size() > 0
            ? Future.failedFuture(Problem.EMAIL_TAKEN.exception("The email " + email.strip() + " is already registered"))
            : tx.preparedQuery(INSERT).execute(Tuple.from(new Object[] {id, actor.accountId(), email.strip(), name.strip(),
                role, Sha256.hex(token), actor.isPartner() ? null : actor.userId(), actor.partnerId(), now, expires,
                actor.connectionId()})))
        .compose(v -> ActivityLog.record(tx, actor.accountId(), now, "staff.invited", actor.isPartner() ? null : actor.userId(),
            actor.partnerId(), "Invited " + who + " as " + role))
        .compose(v -> !actor.isPartner() ? Future.succeededFuture()
            : alerts.staffChangedByPartner(tx, actor.accountId(), actor.partnerId(), "Your partner invited " + who
                + " as staff. Until you confirm them on the Staff page, their access follows the partner's.", now))
        .map(v -> new Invitation(id, token, email.strip(), role, expires.toInstant().toString())));
  }

  public Future<JsonArray> pending(UUID accountId) {
    return pool.preparedQuery(PENDING).execute(Tuple.of(accountId)).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(new JsonObject().put("inviteId", r.getUUID("id").toString()).put("name", r.getString("name"))
          .put("email", r.getString("email")).put("role", r.getString("role")).put("type", "invited")
          .put("addedBy", r.getString("added_by"))
          .put("invitedAt", Sql.iso(r, "created_at")).put("expiresAt", Sql.iso(r, "expires_at"))));
      return out;
    });
  }

  /** Who joined through an invitation. */
  public record Joined(UUID accountId, UUID userId, String role, String name) {}

  /** The invitee accepts with a password: the user is created with the invited role; the link is then spent. */
  public Future<Joined> accept(String token, String passwordHash) {
    OffsetDateTime now = clock.nowUtc();
    String hash = Sha256.hex(token);
    UUID userId = UUID.randomUUID();
    return pool.withTransaction(tx -> OneTimeLink.spend(tx, CLAIM, BY_TOKEN, hash, now, REFUSALS).compose(r -> {
      UUID accountId = r.getUUID("account_id");
      UUID partnerId = r.getUUID("invited_by_partner");
      UUID connectionId = r.getUUID("connection_id");
      AccountRepository.NewUser user = new AccountRepository.NewUser(r.getString("name"), r.getString("email"), passwordHash);
      Future<Row> inviter = connectionId == null ? Future.succeededFuture(null)
          : tx.preparedQuery(INVITING_PARTNER).execute(Tuple.of(connectionId)).map(Sql::first);
      return inviter.compose(p -> {
        if (p != null && p.getValue("disconnected_at") != null) {
          return Future.failedFuture(Problem.NOT_CONNECTED.exception("The partner who invited you ("
              + p.getString("name") + ") is no longer connected to " + p.getString("business_name")
              + ", so this invitation has ended (R24); ask the owner to invite you"));
        }
        return AccountRepository.insertUser(tx, userId, user, accountId, r.getString("role"), now, partnerId, connectionId)
            .compose(v -> ActivityLog.record(tx, accountId, now, "staff.joined", userId, partnerId,
                r.getString("name") + " accepted the invitation and joined as " + r.getString("role")
                    + (p == null ? "" : " (added by partner " + p.getString("name") + ", awaiting your confirmation)")))
            .compose(v -> p == null ? Future.succeededFuture()
                : alerts.staffChangedByPartner(tx, accountId, partnerId, r.getString("name") + ", whom "
                    + p.getString("name") + " invited, joined as staff. Confirm them on the Staff page, or they lose "
                    + "access whenever " + p.getString("name") + " does.", now))
            .map(v -> new Joined(accountId, userId, r.getString("role"), r.getString("name")));
      });
    }));
  }

}
