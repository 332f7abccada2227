package com.partneraccess.jobs;

import com.partneraccess.authz.AccountActor;
import com.partneraccess.bus.Problem;
import com.partneraccess.db.FilterStatements;
import com.partneraccess.db.FilterStatements.Filter;
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
  /**
   * One page of an account's jobs, newest first, with no filter: $1 the account, $2 the page size plus one. Reads
   * jobs_account_recent (V020) in order and stops after $2 rows. {@link #list(JobQuery)} writes the filters that are
   * given into the statement instead of one statement with {@code ($n IS NULL OR ...)} for each: PostgreSQL plans a
   * prepared statement once for all values (its generic plan), and for the catch-all form that plan read and sorted
   * all of an account's jobs to return one page (0.27 ms against 0.03 ms for 120 jobs, and growing with the account;
   * {@code JobListPlanTest}).
   */
  static final String LIST = """
      SELECT j.id, j.title, j.created_at, u.name AS user_name, p.name AS partner_name
        FROM jobs j LEFT JOIN users u ON u.id = j.created_by LEFT JOIN partners p ON p.id = j.partner_id
       WHERE j.account_id = $1::uuid
       ORDER BY j.created_at DESC, j.id LIMIT $2::int""";
  /** The list with the filters given: the creating user, the creating partner, from, to, the keyset position. */
  private static final FilterStatements PAGES = new FilterStatements(LIST.substring(0, LIST.indexOf("\n ORDER BY")),
      List.of(Filter.equal(" AND j.created_by = {0}::uuid"), Filter.equal(" AND j.partner_id = {0}::uuid"),
          Filter.bound(" AND j.created_at >= {0}::timestamptz"), Filter.bound(" AND j.created_at < {0}::timestamptz"),
          // the keyset position (newest first, id ascending among equal times): its time is an index bound
          Filter.bound(" AND j.created_at <= {0}::timestamptz AND (j.created_at < {0}::timestamptz OR j.id > {1}::uuid)")),
      "\n ORDER BY j.created_at DESC, j.id LIMIT {0}::int");

  /** The page statement with only the given filters; their values follow the account's, in this order. */
  static String listStatement(boolean user, boolean partner, boolean from, boolean to, boolean after) {
    return PAGES.of(user, partner, from, to, after);
  }
  /** The people of an account, for the person filter: its users, then the partners ever connected to it. */
  static final String PEOPLE = """
      SELECT 'user' AS kind, u.id, u.name FROM users u WHERE u.account_id = $1
      UNION ALL
      SELECT DISTINCT 'partner', p.id, p.name FROM connections c JOIN partners p ON p.id = c.partner_id
       WHERE c.account_id = $1
       ORDER BY 1 DESC, 3 LIMIT 200""";

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

  public Future<JobService.JobPage> list(JobQuery query) {
    JobQuery q = query.withOneUpperBound();
    UUID user = q.person() != null && !q.person().isPartner() ? q.person().id() : null;
    UUID partner = q.person() != null && q.person().isPartner() ? q.person().id() : null;
    Tuple params = Tuple.of(q.accountId());
    if (user != null) {
      params.addUUID(user);
    }
    if (partner != null) {
      params.addUUID(partner);
    }
    if (q.from() != null) {
      params.addOffsetDateTime(utc(q.from()));
    }
    if (q.to() != null) {
      params.addOffsetDateTime(utc(q.to()));
    }
    if (q.afterTime() != null) {
      params.addOffsetDateTime(utc(q.afterTime())).addUUID(q.afterId());
    }
    params.addInteger(q.limit() + 1);
    return pool.preparedQuery(listStatement(user != null, partner != null, q.from() != null, q.to() != null,
            q.afterTime() != null))
        .execute(params).map(rows -> {
          List<Job> out = new ArrayList<>();
          String next = null;
          for (Row r : rows) {
            if (out.size() == q.limit()) {
              next = JobQuery.cursorAfter(out.get(out.size() - 1));
              break;
            }
            out.add(new Job(r.getUUID("id"), r.getString("title"), Sql.iso(r, "created_at"),
                r.getString("user_name") != null ? r.getString("user_name") : r.getString("partner_name")));
          }
          return new JobService.JobPage(out, next);
        });
  }

  /** A person the lists can be filtered by ({@code kind}: user or partner). */
  public record PersonOption(String kind, UUID id, String name) {
    public String param() {
      return kind + ":" + id;
    }
  }

  public Future<List<PersonOption>> people(UUID accountId) {
    return pool.preparedQuery(PEOPLE).execute(Tuple.of(accountId)).map(rows -> {
      List<PersonOption> out = new ArrayList<>();
      rows.forEach(r -> out.add(new PersonOption(r.getString("kind"), r.getUUID("id"), r.getString("name"))));
      return out;
    });
  }

  private static OffsetDateTime utc(java.time.Instant i) {
    return i == null ? null : i.atOffset(java.time.ZoneOffset.UTC);
  }
}
