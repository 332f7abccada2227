package com.partneraccess.teams;

import com.partneraccess.bus.Problem;
import com.partneraccess.db.OneTimeLink;
import com.partneraccess.db.Sql;
import com.partneraccess.identity.Sha256;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * R28: the SQL of a partner organisation's team: its users and their roles, the e-mailed invitations (one-time
 * links, kept only as SHA-256 hashes) and the customers assigned to members. Every change runs in a transaction that
 * first locks the organisation's row ({@link #lockTeam}), so two admins demoting or removing each other at once
 * cannot both win and leave no admin; the demotion and the removal are also conditional updates that never remove the
 * last admin.
 */
public final class TeamRepository {
  /**
   * The organisation's row, locked. The caller's role is read by a second statement ({@link #TEAM_OF}): under READ
   * COMMITTED a statement that waited for the lock still sees the rows it joins as they were when it started, so a
   * role changed by the transaction it waited for would be read stale.
   */
  static final String LOCK_TEAM = "SELECT id FROM partners WHERE id = $1 FOR UPDATE";
  static final String TEAM_OF = """
      SELECT p.name AS organisation, u.partner_role
        FROM partners p LEFT JOIN users u ON u.id = $2 AND u.partner_id = p.id AND u.removed_at IS NULL
       WHERE p.id = $1""";
  static final String MEMBERS = """
      SELECT u.id, u.name, u.email, u.partner_role, u.created_at FROM users u
       WHERE u.partner_id = $1 AND u.kind = 'partner' AND u.removed_at IS NULL
       ORDER BY u.name, u.id LIMIT $2""";
  static final String ASSIGNMENTS = """
      SELECT pa.user_id, c.account_id, a.business_name
        FROM partner_assignments pa JOIN users u ON u.id = pa.user_id
        JOIN connections c ON c.id = pa.connection_id AND c.disconnected_at IS NULL
        JOIN accounts a ON a.id = c.account_id
       WHERE u.partner_id = $1 AND u.removed_at IS NULL
       ORDER BY a.business_name, c.account_id""";
  static final String PENDING_INVITES = """
      SELECT id, email, name, role, created_at, expires_at FROM partner_team_invites
       WHERE partner_id = $1 AND status = 'pending' AND expires_at > $2
       ORDER BY created_at DESC LIMIT $3""";
  static final String EMAIL_TAKEN = "SELECT 1 FROM users WHERE lower(email) = lower($1) AND removed_at IS NULL";
  static final String REPLACE_PENDING = """
      UPDATE partner_team_invites SET status = 'replaced'
       WHERE partner_id = $1 AND lower(email) = lower($2) AND status = 'pending'""";
  static final String INSERT_INVITE = """
      INSERT INTO partner_team_invites (id, partner_id, email, name, role, token_hash, status, invited_by, created_at,
                                        expires_at)
      VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9)""";
  static final String SPEND_INVITE = """
      UPDATE partner_team_invites i SET status = 'accepted', accepted_at = $2
        FROM partners p
       WHERE i.token_hash = $1 AND i.status = 'pending' AND i.expires_at > $2 AND p.id = i.partner_id
      RETURNING i.partner_id, i.email, i.name, i.role, p.name AS organisation""";
  static final String INVITE_BY_TOKEN = "SELECT status, expires_at FROM partner_team_invites WHERE token_hash = $1";
  static final String INSERT_USER = """
      INSERT INTO users (id, email, password_hash, name, kind, partner_id, partner_role, created_at)
      VALUES ($1, $2, $3, $4, 'partner', $5, $6, $7)""";
  static final String TEAMMATE = """
      SELECT name, partner_role FROM users
       WHERE id = $1 AND partner_id = $2 AND kind = 'partner' AND removed_at IS NULL""";
  /** Promoting always succeeds; demoting only while another admin remains. */
  static final String SET_ROLE = """
      UPDATE users SET partner_role = $3
       WHERE id = $1 AND partner_id = $2 AND kind = 'partner' AND removed_at IS NULL
         AND ($3 = 'admin' OR EXISTS (SELECT 1 FROM users o WHERE o.partner_id = $2 AND o.id <> $1
                                         AND o.partner_role = 'admin' AND o.removed_at IS NULL))
      RETURNING name""";
  /** A member always goes; an admin only while another admin remains. */
  static final String REMOVE = """
      UPDATE users SET removed_at = $3
       WHERE id = $1 AND partner_id = $2 AND kind = 'partner' AND removed_at IS NULL
         AND (partner_role = 'member' OR EXISTS (SELECT 1 FROM users o WHERE o.partner_id = $2 AND o.id <> $1
                                                    AND o.partner_role = 'admin' AND o.removed_at IS NULL))
      RETURNING name""";
  static final String DROP_ASSIGNMENTS = "DELETE FROM partner_assignments WHERE user_id = $1";
  static final String LIVE_CONNECTION = """
      SELECT c.id, a.business_name FROM connections c JOIN accounts a ON a.id = c.account_id
       WHERE c.partner_id = $1 AND c.account_id = $2 AND c.disconnected_at IS NULL""";
  static final String ASSIGN = """
      INSERT INTO partner_assignments (user_id, connection_id, assigned_at, assigned_by) VALUES ($1, $2, $3, $4)
      ON CONFLICT (user_id, connection_id) DO NOTHING""";
  static final String UNASSIGN = """
      DELETE FROM partner_assignments pa USING connections c, accounts a
       WHERE pa.user_id = $1 AND pa.connection_id = c.id AND c.partner_id = $2 AND c.account_id = $3
         AND a.id = c.account_id
      RETURNING a.business_name""";
  static final String BUSINESS_NAME = """
      SELECT a.business_name FROM connections c JOIN accounts a ON a.id = c.account_id
       WHERE c.partner_id = $1 AND c.account_id = $2 ORDER BY c.connected_at DESC LIMIT 1""";

  private static final OneTimeLink.Refusals REFUSALS = new OneTimeLink.Refusals(
      () -> Problem.NOT_FOUND.exception("This invitation link is not valid; ask your admin for a new one"),
      status -> Problem.INVITE_NOT_PENDING.exception("This invitation link was already used or replaced; sign in, or "
          + "ask your admin for a new one"),
      expires -> Problem.INVITE_EXPIRED.exception("This invitation link expired; ask your admin for a new one"));

  private final Pool pool;
  private final AppClock clock;
  private final Duration validity;

  public TeamRepository(Pool pool, AppClock clock, int inviteDays) {
    this.pool = pool;
    this.clock = clock;
    this.validity = Duration.ofDays(inviteDays);
  }

  /** The organisation's name and the caller's current role in it (null: not a current teammate). */
  public record Team(String organisation, String callerRole) {}

  /** A current teammate and the customers assigned to it. */
  public record Teammate(UUID userId, String name, String email, String role, String joinedAt,
                         List<AssignedCustomer> customers) {}

  public record AssignedCustomer(UUID accountId, String businessName) {}

  /** A pending invitation (the token is never read back). */
  public record PendingInvite(UUID id, String email, String name, String role, String invitedAt, String expiresAt) {}

  /** A created invitation and the one-time token for its link (shown once, never stored). */
  public record Invitation(UUID id, String token, String email, String name, String role, String expiresAt) {}

  /** A spent invitation: the new teammate. */
  public record Joined(UUID userId, UUID partnerId, String name, String role, String organisation) {}

  public Pool pool() {
    return pool;
  }

  public OffsetDateTime now() {
    return clock.nowUtc();
  }

  /** Locks the organisation's row for the rest of the transaction; the caller's role read under that lock. */
  public Future<Team> lockTeam(SqlConnection tx, UUID partnerId, UUID callerId) {
    return tx.preparedQuery(LOCK_TEAM).execute(Tuple.of(partnerId))
        .compose(locked -> tx.preparedQuery(TEAM_OF).execute(Tuple.of(partnerId, callerId)))
        .map(TeamRepository::team);
  }

  public Future<Team> team(UUID partnerId, UUID callerId) {
    return pool.preparedQuery(TEAM_OF).execute(Tuple.of(partnerId, callerId)).map(TeamRepository::team);
  }

  private static Team team(io.vertx.sqlclient.RowSet<Row> rows) {
    Row r = Sql.first(rows);
    if (r == null) {
      throw Problem.TOKEN_INVALID.exception("This partner organisation no longer exists");
    }
    return new Team(r.getString("organisation"), r.getString("partner_role"));
  }

  public Future<List<Teammate>> members(UUID partnerId, int max) {
    return pool.preparedQuery(ASSIGNMENTS).execute(Tuple.of(partnerId)).compose(assigned -> {
      Map<UUID, List<AssignedCustomer>> byUser = new LinkedHashMap<>();
      for (Row r : assigned) {
        byUser.computeIfAbsent(r.getUUID("user_id"), k -> new ArrayList<>())
            .add(new AssignedCustomer(r.getUUID("account_id"), r.getString("business_name")));
      }
      return pool.preparedQuery(MEMBERS).execute(Tuple.of(partnerId, max)).map(rows -> {
        List<Teammate> out = new ArrayList<>();
        for (Row r : rows) {
          out.add(new Teammate(r.getUUID("id"), r.getString("name"), r.getString("email"), r.getString("partner_role"),
              Sql.iso(r, "created_at"), List.copyOf(byUser.getOrDefault(r.getUUID("id"), List.of()))));
        }
        return out;
      });
    });
  }

  public Future<List<PendingInvite>> pendingInvites(UUID partnerId, int max) {
    return pool.preparedQuery(PENDING_INVITES).execute(Tuple.of(partnerId, clock.nowUtc(), max)).map(rows -> {
      List<PendingInvite> out = new ArrayList<>();
      rows.forEach(r -> out.add(new PendingInvite(r.getUUID("id"), r.getString("email"), r.getString("name"),
          r.getString("role"), Sql.iso(r, "created_at"), Sql.iso(r, "expires_at"))));
      return out;
    });
  }

  /** Stores an invitation (replacing a pending one to the same address); refused when the e-mail is registered. */
  public Future<Invitation> invite(SqlConnection tx, UUID partnerId, UUID invitedBy, String name, String email,
                                   String role) {
    OffsetDateTime now = clock.nowUtc();
    OffsetDateTime expires = now.plus(validity);
    UUID id = UUID.randomUUID();
    String token = OneTimeLink.newToken();
    return tx.preparedQuery(EMAIL_TAKEN).execute(Tuple.of(email))
        .compose(rows -> rows.size() > 0
            ? Future.failedFuture(Problem.EMAIL_TAKEN.exception("The email " + email + " is already registered"))
            : tx.preparedQuery(REPLACE_PENDING).execute(Tuple.of(partnerId, email)))
        .compose(v -> tx.preparedQuery(INSERT_INVITE).execute(Tuple.from(new Object[] {id, partnerId, email, name, role,
            Sha256.hex(token), invitedBy, now, expires})))
        .map(v -> new Invitation(id, token, email, name, role, expires.toInstant().toString()));
  }

  /** Spends an invitation's link once, creating the teammate with the password's hash. */
  public Future<Joined> join(String token, String passwordHash) {
    OffsetDateTime now = clock.nowUtc();
    String hash = Sha256.hex(token);
    UUID userId = UUID.randomUUID();
    return pool.withTransaction(tx -> OneTimeLink.spend(tx, SPEND_INVITE, INVITE_BY_TOKEN, hash, now, REFUSALS).compose(r -> {
      Joined j = new Joined(userId, r.getUUID("partner_id"), r.getString("name"), r.getString("role"),
          r.getString("organisation"));
      return tx.preparedQuery(INSERT_USER).execute(Tuple.from(new Object[] {userId, r.getString("email"), passwordHash,
              j.name(), j.partnerId(), j.role(), now}))
          .recover(err -> Future.failedFuture(Sql.uniqueAs("users_email_key", Problem.EMAIL_TAKEN,
              "The email " + r.getString("email") + " is already registered; sign in instead").apply(err)))
          .map(v -> j);
    }));
  }

  /** The current teammate's name and role, or a NOT_FOUND refusal. */
  public Future<Row> teammate(SqlClient tx, UUID userId, UUID partnerId) {
    return tx.preparedQuery(TEAMMATE).execute(Tuple.of(userId, partnerId)).compose(rows -> {
      Row r = Sql.first(rows);
      return r == null ? Future.failedFuture(Problem.NOT_FOUND.exception("This person is not on your team"))
          : Future.succeededFuture(r);
    });
  }

  /** The new role; refused with LAST_ADMIN when it would leave the organisation without an admin. */
  public Future<String> setRole(SqlConnection tx, UUID userId, UUID partnerId, String role) {
    return teammate(tx, userId, partnerId).compose(t -> tx.preparedQuery(SET_ROLE).execute(Tuple.of(userId, partnerId, role))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture(t.getString("name"))
            : Future.failedFuture(Problem.LAST_ADMIN.exception(t.getString("name") + " is the only admin of your "
                + "organisation; make someone else an admin first"))));
  }

  /** Marks the teammate removed and drops its assignments; refused with LAST_ADMIN for the only admin. */
  public Future<String> remove(SqlConnection tx, UUID userId, UUID partnerId) {
    return teammate(tx, userId, partnerId).compose(t -> tx.preparedQuery(REMOVE).execute(Tuple.of(userId, partnerId,
            clock.nowUtc()))
        .compose(rows -> rows.rowCount() == 1
            ? tx.preparedQuery(DROP_ASSIGNMENTS).execute(Tuple.of(userId)).map(v -> t.getString("name"))
            : Future.failedFuture(Problem.LAST_ADMIN.exception(t.getString("name") + " is the only admin of your "
                + "organisation; make someone else an admin first"))));
  }

  /** Assigns the partner's live connection to {@code accountId}; returns the business name. */
  public Future<String> assign(SqlConnection tx, UUID userId, UUID partnerId, UUID accountId, UUID by) {
    return tx.preparedQuery(LIVE_CONNECTION).execute(Tuple.of(partnerId, accountId)).compose(rows -> {
      Row c = Sql.first(rows);
      if (c == null) {
        return Future.failedFuture(Problem.NOT_CONNECTED.exception("Your organisation is not connected to this customer"));
      }
      return tx.preparedQuery(ASSIGN).execute(Tuple.of(userId, c.getUUID("id"), clock.nowUtc(), by))
          .map(v -> c.getString("business_name"));
    });
  }

  /** Takes a customer away from a member; returns the business name (null: it was not assigned). */
  public Future<String> unassign(SqlConnection tx, UUID userId, UUID partnerId, UUID accountId) {
    return tx.preparedQuery(UNASSIGN).execute(Tuple.of(userId, partnerId, accountId)).compose(rows -> {
      Row r = Sql.first(rows);
      return r != null ? Future.succeededFuture(r.getString("business_name"))
          : tx.preparedQuery(BUSINESS_NAME).execute(Tuple.of(partnerId, accountId)).compose(names -> {
            Row n = Sql.first(names);
            return n == null
                ? Future.failedFuture(Problem.NOT_CONNECTED.exception("Your organisation is not connected to this customer"))
                : Future.succeededFuture(null);
          });
    });
  }
}
