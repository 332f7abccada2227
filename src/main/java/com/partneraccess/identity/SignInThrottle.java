package com.partneraccess.identity;

import com.partneraccess.bus.Problem;
import com.partneraccess.config.AppConfig;
import com.partneraccess.db.Sql;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * Slows down password guessing, counted in PostgreSQL so every instance shares the count. Each sign-in is
 * counted <em>before</em> its password is checked, by one statement that upserts two rows of
 * {@code sign_in_attempts} and returns their counts: one for the e-mail and client address
 * ({@code limits.signInPerAddress}, 5 by default) and one for the e-mail from every address
 * ({@code limits.signInPerEmail}, 50), each in a fixed window of {@code limits.signInWindowMinutes} (15) that
 * starts at its first attempt. An attempt over either limit is refused (429 with Retry-After) without checking
 * the password, so guesses sent at once cannot all be evaluated. A successful sign-in clears its address's
 * count and does not use up the e-mail's. Someone guessing from one address therefore locks out that address
 * only; the owner signing in from elsewhere is refused only once the e-mail ceiling is reached, which takes
 * guesses from at least ten addresses. Choosing a new password from a reset link clears every count of the e-mail
 * ({@link RecoveryRepository#reset}), so a locked-out owner has a way forward.
 */
public final class SignInThrottle {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SignInThrottle.class);
  static final String COUNT = """
      WITH pair AS (
        INSERT INTO sign_in_attempts AS s (email, client, attempts, window_start) VALUES ($1, $2, 1, $3)
        ON CONFLICT (email, client) DO UPDATE SET
          attempts = CASE WHEN s.window_start <= $4 THEN 1 ELSE s.attempts + 1 END,
          window_start = CASE WHEN s.window_start <= $4 THEN $3 ELSE s.window_start END
        RETURNING attempts, window_start),
      every AS (
        INSERT INTO sign_in_attempts AS s (email, client, attempts, window_start)
        SELECT $1::text, '*', 1, $3::timestamptz FROM pair
        ON CONFLICT (email, client) DO UPDATE SET
          attempts = CASE WHEN s.window_start <= $4 THEN 1 ELSE s.attempts + 1 END,
          window_start = CASE WHEN s.window_start <= $4 THEN $3 ELSE s.window_start END
        RETURNING attempts, window_start)
      SELECT pair.attempts AS pair_attempts, pair.window_start AS pair_start,
             every.attempts AS email_attempts, every.window_start AS email_start
        FROM pair, every""";
  /**
   * After a success the address starts afresh and the attempt does not count against the e-mail: two statements
   * of one row each, so they never lock in the opposite order of {@link #COUNT} (the pair, then the e-mail).
   */
  static final String FORGET_ADDRESS = "DELETE FROM sign_in_attempts WHERE email = $1 AND client = $2";
  static final String UNCOUNT_EMAIL =
      "UPDATE sign_in_attempts SET attempts = greatest(attempts - 1, 0) WHERE email = $1 AND client = '*'";
  static final String FORGET_OLD = "DELETE FROM sign_in_attempts WHERE window_start <= $1";

  private final Pool pool;
  private final AppClock clock;
  private final int perAddress;
  private final int perEmail;
  private final Duration window;
  private volatile long nextCleanup;

  public SignInThrottle(Pool pool, AppClock clock, AppConfig.Limits limits) {
    this.pool = pool;
    this.clock = clock;
    this.perAddress = limits.signInPerAddress();
    this.perEmail = limits.signInPerEmail();
    this.window = Duration.ofMinutes(limits.signInWindowMinutes());
  }

  /** Counts one attempt; fails with 429 (and how long to wait) when the address or the e-mail is over its limit. */
  public Future<Void> attempt(String email, String client) {
    OffsetDateTime now = clock.nowUtc();
    forgetOld(now);
    return pool.preparedQuery(COUNT).execute(Tuple.of(key(email), client(client), now, now.minus(window)))
        .compose(rows -> {
          Row r = Sql.first(rows);
          boolean pairOver = r.getInteger("pair_attempts") > perAddress;
          boolean emailOver = r.getInteger("email_attempts") > perEmail;
          if (!pairOver && !emailOver) {
            return Future.succeededFuture();
          }
          OffsetDateTime start = pairOver ? r.getOffsetDateTime("pair_start") : r.getOffsetDateTime("email_start");
          if (pairOver && emailOver && r.getOffsetDateTime("email_start").isAfter(start)) {
            start = r.getOffsetDateTime("email_start");
          }
          long seconds = Math.max(1, Duration.between(now, start.plus(window)).toSeconds() + 1);
          long minutes = Math.max(1, (seconds + 59) / 60);
          return Future.failedFuture(Problem.TOO_MANY_ATTEMPTS.exception("Too many sign-in attempts for this email"
              + (pairOver ? " from this address" : "") + "; try again in " + minutes
              + (minutes == 1 ? " minute" : " minutes"), seconds));
        });
  }

  public Future<Void> succeeded(String email, String client) {
    return pool.preparedQuery(FORGET_ADDRESS).execute(Tuple.of(key(email), client(client)))
        .compose(v -> pool.preparedQuery(UNCOUNT_EMAIL).execute(Tuple.of(key(email)))).mapEmpty();
  }

  /** Rows whose window has passed are dropped, at most once a window per process (they would restart anyway). */
  private void forgetOld(OffsetDateTime now) {
    long at = now.toInstant().toEpochMilli();
    if (at < nextCleanup) {
      return;
    }
    nextCleanup = at + window.toMillis();
    pool.preparedQuery(FORGET_OLD).execute(Tuple.of(now.minus(window)))
        .onFailure(err -> LOG.warn("could not drop old sign-in counts", err));
  }

  static String key(String email) {
    return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
  }

  private static String client(String client) {
    return client == null || client.isBlank() ? "unknown" : client;
  }
}
