package com.partneraccess.identity;

import com.partneraccess.authz.Principal;
import com.partneraccess.bus.Problem;
import com.partneraccess.db.Sql;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

/**
 * The SQL of account recovery and settings (V060): password-reset links, e-mail change links (both stored as
 * SHA-256 hashes, spent by a conditional UPDATE so two uses race to one winner), the "forgot password" request
 * counts, and the user's own name, e-mail, password and partner organisation name.
 */
public final class RecoveryRepository {
  static final String USER_BY_EMAIL = """
      SELECT u.id, u.email, u.password_hash, u.name, u.kind, u.account_id, u.role, u.partner_id, p.name AS organisation
        FROM users u LEFT JOIN partners p ON p.id = u.partner_id WHERE lower(u.email) = lower($1)""";
  static final String USER_BY_ID = """
      SELECT u.id, u.email, u.password_hash, u.name, u.kind, u.account_id, u.role, u.partner_id, p.name AS organisation
        FROM users u LEFT JOIN partners p ON p.id = u.partner_id WHERE u.id = $1""";
  /** Fixed-window count of "forgot password" requests for one key; returns the count and the window's start. */
  static final String COUNT_REQUEST = """
      INSERT INTO reset_request_counts AS c (key, requests, window_start) VALUES ($1, 1, $2)
      ON CONFLICT (key) DO UPDATE SET
        requests = CASE WHEN c.window_start <= $3 THEN 1 ELSE c.requests + 1 END,
        window_start = CASE WHEN c.window_start <= $3 THEN $2 ELSE c.window_start END
      RETURNING requests, window_start""";
  static final String FORGET_OLD_COUNTS = "DELETE FROM reset_request_counts WHERE window_start <= $1";
  static final String REPLACE_RESET = "UPDATE password_resets SET status = 'replaced' WHERE user_id = $1 AND status = 'pending'";
  static final String INSERT_RESET = """
      INSERT INTO password_resets (id, user_id, token_hash, status, created_at, expires_at)
      VALUES ($1, $2, $3, 'pending', $4, $5)""";
  /** Spends a reset link: only a pending, unexpired one, once. */
  static final String SPEND_RESET = """
      UPDATE password_resets SET status = 'used', used_at = $2
       WHERE token_hash = $1 AND status = 'pending' AND expires_at > $2
      RETURNING user_id""";
  static final String RESET_BY_TOKEN = "SELECT status, expires_at FROM password_resets WHERE token_hash = $1";
  static final String SET_PASSWORD = "UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING email";
  /** A reset clears the sign-in lock-out of the e-mail (every address's count: identity/SignInThrottle). */
  static final String CLEAR_LOCKOUT = "DELETE FROM sign_in_attempts WHERE email = $1";
  static final String SET_NAME = "UPDATE users SET name = $2 WHERE id = $1";
  static final String SET_ORGANISATION = "UPDATE partners SET name = $2 WHERE id = $1";
  static final String EMAIL_TAKEN = "SELECT 1 FROM users WHERE lower(email) = lower($1)";
  static final String REPLACE_EMAIL_CHANGE = "UPDATE email_changes SET status = 'replaced' WHERE user_id = $1 AND status = 'pending'";
  static final String INSERT_EMAIL_CHANGE = """
      INSERT INTO email_changes (id, user_id, new_email, token_hash, status, created_at, expires_at)
      VALUES ($1, $2, $3, $4, 'pending', $5, $6)""";
  static final String SPEND_EMAIL_CHANGE = """
      UPDATE email_changes SET status = 'confirmed', confirmed_at = $2
       WHERE token_hash = $1 AND status = 'pending' AND expires_at > $2
      RETURNING user_id, new_email""";
  static final String EMAIL_CHANGE_BY_TOKEN = "SELECT status, expires_at FROM email_changes WHERE token_hash = $1";
  static final String SET_EMAIL = "UPDATE users SET email = $2 WHERE id = $1";
  static final String PENDING_EMAIL = """
      SELECT new_email, expires_at FROM email_changes WHERE user_id = $1 AND status = 'pending' AND expires_at > $2""";

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RecoveryRepository.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Pool pool;
  private final AppClock clock;

  public RecoveryRepository(Pool pool, AppClock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** A user as its settings page shows it; {@code organisation} is the partner's name for a partner user. */
  public record User(UUID id, String email, String passwordHash, String name, Principal principal, String organisation) {}

  /** A link just made: its one-time token (only ever in the e-mail) and when it expires. */
  public record Link(String token, OffsetDateTime expiresAt) {}

  public Future<User> byEmail(String email) {
    return pool.preparedQuery(USER_BY_EMAIL).execute(Tuple.of(email.strip())).map(rows -> user(Sql.first(rows)));
  }

  public Future<User> byId(UUID id) {
    return pool.preparedQuery(USER_BY_ID).execute(Tuple.of(id)).compose(rows -> {
      User u = user(Sql.first(rows));
      return u == null ? Future.failedFuture(Problem.TOKEN_INVALID.exception("This user no longer exists"))
          : Future.succeededFuture(u);
    });
  }

  private static User user(Row r) {
    if (r == null) {
      return null;
    }
    Principal.Kind kind = "partner".equals(r.getString("kind")) ? Principal.Kind.PARTNER : Principal.Kind.CUSTOMER;
    return new User(r.getUUID("id"), r.getString("email"), r.getString("password_hash"), r.getString("name"),
        new Principal(r.getUUID("id"), kind, r.getUUID("account_id"), r.getString("role"), r.getUUID("partner_id"),
            r.getString("name")), r.getString("organisation"));
  }

  /**
   * Counts one request for {@code key} in the current window; the result is how many seconds to wait when the
   * count is over {@code max}, else 0.
   */
  public Future<Long> countRequest(String key, int max, Duration window) {
    OffsetDateTime now = clock.nowUtc();
    pool.preparedQuery(FORGET_OLD_COUNTS).execute(Tuple.of(now.minus(window).minus(window)))
        .onFailure(err -> LOG.warn("could not drop old password-reset request counts", err));
    return pool.preparedQuery(COUNT_REQUEST).execute(Tuple.of(key, now, now.minus(window))).map(rows -> {
      Row r = Sql.first(rows);
      if (r.getInteger("requests") <= max) {
        return 0L;
      }
      return Math.max(1, Duration.between(now, r.getOffsetDateTime("window_start").plus(window)).toSeconds() + 1);
    });
  }

  /** A new reset link for the user; a pending older one stops working. */
  public Future<Link> newReset(UUID userId, Duration validity) {
    OffsetDateTime now = clock.nowUtc();
    String token = token();
    OffsetDateTime expires = now.plus(validity);
    return pool.withTransaction(tx -> tx.preparedQuery(REPLACE_RESET).execute(Tuple.of(userId))
        .compose(v -> tx.preparedQuery(INSERT_RESET).execute(Tuple.of(UUID.randomUUID(), userId, Sha256.hex(token), now, expires)))
        .map(v -> new Link(token, expires)));
  }

  /**
   * Spends a reset link and sets the new password, and clears the e-mail's sign-in lock-out, in one transaction;
   * the result is the user whose password it was. A link already used, replaced, expired or unknown is refused.
   */
  public Future<UUID> reset(String token, String passwordHash) {
    OffsetDateTime now = clock.nowUtc();
    String hash = Sha256.hex(token);
    return pool.withTransaction(tx -> tx.preparedQuery(SPEND_RESET).execute(Tuple.of(hash, now)).compose(rows -> {
      Row r = Sql.first(rows);
      if (r == null) {
        return tx.preparedQuery(RESET_BY_TOKEN).execute(Tuple.of(hash)).compose(s -> Future.failedFuture(
            spent(Sql.first(s), "Ask for a new link on the sign-in page (Forgot your password?)")));
      }
      UUID userId = r.getUUID("user_id");
      return tx.preparedQuery(SET_PASSWORD).execute(Tuple.of(userId, passwordHash))
          .compose(u -> tx.preparedQuery(CLEAR_LOCKOUT)
              .execute(Tuple.of(Sql.first(u).getString("email").strip().toLowerCase(Locale.ROOT))))
          .map(v -> userId);
    }));
  }

  /** Why a link cannot be spent, in words. */
  private static RuntimeException spent(Row st, String next) {
    if (st == null) {
      return Problem.NOT_FOUND.exception("This link is not valid; " + lower(next));
    }
    return switch (st.getString("status")) {
      case "replaced" -> Problem.LINK_SPENT.exception("A newer link was sent after this one, so this one no longer works. "
          + next);
      case "pending" -> Problem.LINK_SPENT.exception("This link expired on "
          + st.getOffsetDateTime("expires_at").toInstant() + ". " + next);
      default -> Problem.LINK_SPENT.exception("This link was already used. " + next);
    };
  }

  private static String lower(String s) {
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  public Future<Void> setPassword(UUID userId, String passwordHash) {
    return pool.preparedQuery(SET_PASSWORD).execute(Tuple.of(userId, passwordHash)).mapEmpty();
  }

  public Future<Void> setName(UUID userId, String name) {
    return pool.preparedQuery(SET_NAME).execute(Tuple.of(userId, name)).mapEmpty();
  }

  public Future<Void> setOrganisation(UUID partnerId, String name) {
    return pool.preparedQuery(SET_ORGANISATION).execute(Tuple.of(partnerId, name)).mapEmpty();
  }

  /** A new e-mail change link to {@code newEmail}; refused when the address is registered; a pending one is replaced. */
  public Future<Link> newEmailChange(UUID userId, String newEmail, Duration validity) {
    OffsetDateTime now = clock.nowUtc();
    String token = token();
    OffsetDateTime expires = now.plus(validity);
    return pool.withTransaction(tx -> tx.preparedQuery(EMAIL_TAKEN).execute(Tuple.of(newEmail))
        .compose(rows -> rows.size() > 0
            ? Future.failedFuture(Problem.EMAIL_TAKEN.exception("The email " + newEmail + " is already registered"))
            : tx.preparedQuery(REPLACE_EMAIL_CHANGE).execute(Tuple.of(userId)))
        .compose(v -> tx.preparedQuery(INSERT_EMAIL_CHANGE).execute(Tuple.from(new Object[] {UUID.randomUUID(), userId,
            newEmail, Sha256.hex(token), now, expires})))
        .map(v -> new Link(token, expires)));
  }

  /** What confirming an e-mail change did. */
  public record EmailChanged(UUID userId, String email) {}

  /** Spends the link and changes the address, once; an address registered meanwhile is refused (409). */
  public Future<EmailChanged> confirmEmail(String token) {
    OffsetDateTime now = clock.nowUtc();
    String hash = Sha256.hex(token);
    return pool.withTransaction(tx -> tx.preparedQuery(SPEND_EMAIL_CHANGE).execute(Tuple.of(hash, now)).compose(rows -> {
      Row r = Sql.first(rows);
      if (r == null) {
        return tx.preparedQuery(EMAIL_CHANGE_BY_TOKEN).execute(Tuple.of(hash)).compose(s -> Future.failedFuture(
            spent(Sql.first(s), "Change your email again from your settings to get a new link.")));
      }
      String email = r.getString("new_email");
      return tx.preparedQuery(SET_EMAIL).execute(Tuple.of(r.getUUID("user_id"), email))
          .recover(err -> Future.failedFuture(Sql.uniqueAs("users_email_key", Problem.EMAIL_TAKEN,
              "The email " + email + " was registered meanwhile; choose another").apply(err)))
          .map(v -> new EmailChanged(r.getUUID("user_id"), email));
    }));
  }

  /** The address waiting for confirmation, or null. */
  public Future<String> pendingEmail(UUID userId) {
    return pool.preparedQuery(PENDING_EMAIL).execute(Tuple.of(userId, clock.nowUtc()))
        .map(rows -> Sql.first(rows) == null ? null : Sql.first(rows).getString("new_email"));
  }

  private static String token() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }
}
