package com.partneraccess.jobs;

import com.partneraccess.authz.AccountActor;
import com.partneraccess.bus.Problem;
import com.partneraccess.db.Sql;
import com.partneraccess.expiry.AccountExpiry;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Jobs, the account's work. Their count drives R12: the moment the account reaches the threshold
 * (100 by default) is stored once, and every live connection's expiry is re-derived from it ({@link AccountExpiry}).
 */
public final class JobRepository {
  static final String COUNT_UP = """
      UPDATE accounts a
         SET job_count = a.job_count + $2,
             hundredth_job_at = CASE
                 WHEN a.hundredth_job_at IS NULL AND a.job_count + $2 >= p.job_threshold THEN $3
                 ELSE a.hundredth_job_at END
        FROM policy p
       WHERE a.id = $1 AND p.id = 1 AND a.status = 'active'
      RETURNING a.job_count, a.hundredth_job_at, (a.hundredth_job_at = $3) AS reached_now""";
  static final String INSERT = """
      INSERT INTO jobs (id, account_id, title, created_by, partner_id, created_at)
      SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::timestamptz[])""";
  static final String LIST = """
      SELECT j.id, j.title, j.created_at, u.name AS user_name, p.name AS partner_name
        FROM jobs j LEFT JOIN users u ON u.id = j.created_by LEFT JOIN partners p ON p.id = j.partner_id
       WHERE j.account_id = $1 ORDER BY j.created_at DESC, j.id LIMIT $2""";

  private final Pool pool;
  private final AppClock clock;

  public JobRepository(Pool pool, AppClock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** Creates {@code quantity} jobs titled {@code title} (numbered when more than one). */
  public Future<JobsCreated> create(AccountActor actor, String title, int quantity) {
    OffsetDateTime now = clock.nowUtc();
    int n = quantity;
    UUID[] ids = new UUID[n];
    UUID[] accounts = new UUID[n];
    String[] titles = new String[n];
    UUID[] users = new UUID[n];
    UUID[] partners = new UUID[n];
    OffsetDateTime[] times = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      ids[i] = UUID.randomUUID();
      accounts[i] = actor.accountId();
      titles[i] = n == 1 ? title.strip() : title.strip() + " #" + (i + 1);
      users[i] = actor.isPartner() ? null : actor.userId();
      partners[i] = actor.partnerId();
      times[i] = now;
    }
    return pool.withTransaction(tx -> tx.preparedQuery(COUNT_UP).execute(Tuple.of(actor.accountId(), n, now))
        .compose(rows -> {
          Row r = Sql.first(rows);
          if (r == null) {
            return Future.failedFuture(Problem.ACCOUNT_CANCELLED.exception("A cancelled account cannot create jobs"));
          }
          boolean reached = Boolean.TRUE.equals(r.getBoolean("reached_now"));
          Future<Void> rederive = reached
              ? AccountExpiry.rederive(tx, actor.accountId(), now).<Void>mapEmpty()
              : Future.succeededFuture();
          return rederive
              .compose(v -> tx.preparedQuery(INSERT).execute(Tuple.of(ids, accounts, titles, users, partners, times)))
              .map(v -> new JobsCreated(n, List.of(ids), r.getInteger("job_count"), Sql.iso(r, "hundredth_job_at")));
        }));
  }

  public Future<List<Job>> list(UUID accountId, int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.of(accountId, limit)).map(rows -> {
      List<Job> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Job(r.getUUID("id"), r.getString("title"), Sql.iso(r, "created_at"),
          r.getString("user_name") != null ? r.getString("user_name") : r.getString("partner_name"))));
      return out;
    });
  }
}
