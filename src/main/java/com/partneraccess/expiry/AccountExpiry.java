package com.partneraccess.expiry;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Re-derives the expiry of an account's connections after an account-level input changed (R12: the 100th job;
 * R13: the operator's switch), inside the caller's transaction, after it updated the accounts row.
 *
 * <p>It never computes an expiry itself: the trigger of V008 is the one writer of {@code expires_at}. It does two
 * things, locking the rows in id order (as the touch flush does, so the two never deadlock):
 * <ol>
 *   <li>An expiry that has already passed stays passed: connections past their expiry are marked expired first,
 *       with the sweep's own statement tail (activity row, partner banner, history, one NOTIFY for them all). Without this, switching the
 *       rule on "from now" would let an expired partner back in when no sweep had run yet, and not when one had:
 *       the answer would depend on the sweep. The partner asks for access again (R16).</li>
 *   <li>Every live connection is touched (an UPDATE that sets nothing of its own), so the trigger derives the
 *       expiry of the enabled ones from the new account row.</li>
 * </ol>
 */
public final class AccountExpiry {
  /** $1 now, $2 account, $3 now as ISO text. */
  static final String EXPIRE_PASSED = """
      WITH due AS (
        SELECT c.id FROM connections c
         WHERE c.account_id = $2::uuid AND c.access = 'enabled' AND c.disconnected_at IS NULL
           AND c.expires_at <= $1::timestamptz
         ORDER BY c.id
         FOR UPDATE
      ), """ + ExpiryRepository.expireDue("$1", "$3", "(SELECT expiry_days FROM policy WHERE id = 1)::text");

  /**
   * $1 account. The trigger of V008 re-derives {@code expires_at}; this statement only makes it run. It locks
   * every live connection of the account, not only those enabled in its snapshot: a connection being enabled
   * (or approved) by a transaction that read the old account row is waited for and then re-derived too.
   */
  static final String TOUCH_LIVE = """
      WITH live AS (
        SELECT c.id FROM connections c
         WHERE c.account_id = $1 AND c.disconnected_at IS NULL
         ORDER BY c.id
         FOR UPDATE
      )
      UPDATE connections c SET expires_at = c.expires_at
       WHERE c.id = ANY (ARRAY(SELECT id FROM live))
      RETURNING c.access""";

  private AccountExpiry() {}

  /**
   * Inside {@code tx}, after the account's threshold moment or rule start changed: expires what has passed at
   * {@code now}, then re-derives the others. Returns how many enabled connections were re-derived.
   */
  public static Future<Integer> rederive(SqlClient tx, UUID accountId, OffsetDateTime now) {
    return tx.preparedQuery(EXPIRE_PASSED).execute(Tuple.of(now, accountId, now.toInstant().toString()))
        .compose(expired -> ExpiryRepository.notifyExpired(tx, expired, now))
        .compose(told -> tx.preparedQuery(TOUCH_LIVE).execute(Tuple.of(accountId)))
        .map(rows -> {
          int enabled = 0;
          for (var r : rows) {
            if ("enabled".equals(r.getString("access"))) {
              enabled++;
            }
          }
          return enabled;
        });
  }
}
