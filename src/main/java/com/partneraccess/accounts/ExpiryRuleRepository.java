package com.partneraccess.accounts;

import com.partneraccess.activity.ActivityLog;
import com.partneraccess.bus.Problem;
import com.partneraccess.expiry.AccountExpiry;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * R13 operator switch: the 60-day rule applies to one account from a given moment. Partners keep their
 * access for 60 days from that moment even if their last access was longer ago; a partner whose expiry has
 * already passed stays expired ({@link AccountExpiry}).
 */
public final class ExpiryRuleRepository {
  static final String SET = "UPDATE accounts SET expiry_rule_from = $2 WHERE id = $1 RETURNING id";

  private final Pool pool;
  private final AppClock clock;

  public ExpiryRuleRepository(Pool pool, AppClock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** Sets (or, with null, clears back to the global date) the moment the rule applies to the account. */
  public Future<Integer> switchOn(UUID accountId, Instant from) {
    OffsetDateTime now = clock.nowUtc();
    return pool.withTransaction(tx -> tx.preparedQuery(SET).execute(Tuple.of(accountId, AppClock.utc(from)))
        .compose(rows -> rows.size() == 0
            ? Future.<Integer>failedFuture(Problem.NOT_FOUND.exception("No such account"))
            : AccountExpiry.rederive(tx, accountId, now))
        .compose(updated -> ActivityLog.record(tx, accountId, now, "expiry.rule",
                null, null, from == null ? "The 60-day partner access rule follows the global date"
                    : "The 60-day partner access rule applies from " + from)
            .map(v -> updated)));
  }
}
