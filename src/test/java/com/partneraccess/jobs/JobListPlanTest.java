package com.partneraccess.jobs;

import com.partneraccess.support.TestPlans;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static com.partneraccess.support.TestPlans.literal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plan of each jobs-list statement as the service has it made (a cached statement's generic plan, forced here):
 * with a person and at most one bound (from, to or the keyset position), a page of 20 out of an account's 600 jobs
 * (among 100 accounts) reads the account's jobs in index order and stops after 21 rows, with no sort. A statement
 * with two bounds is planned per call, with its values. The catch-all statement these replaced
 * ({@code ($n IS NULL OR ...)} for every filter) read all of the account's jobs and sorted them for every page.
 */
@DisplayName("Jobs list statements: a page reads a page")
class JobListPlanTest {
  private static final int JOBS = 600;
  private static final int LIMIT = 20;
  private static final Instant T0 = TestPlans.Fixture.T0;
  private static TestPlans.Fixture db;

  @BeforeAll
  static void seed() {
    db = new TestPlans.Fixture();
    // the account's: half by the owner, half by the partner, one a minute; as many in each other account
    db.sql("""
        INSERT INTO jobs (id, account_id, title, created_by, partner_id, created_at)
        SELECT gen_random_uuid(), a.id, 'job ' || g, CASE WHEN a.id = $1 AND g % 2 = 0 THEN $2::uuid END,
               CASE WHEN a.id = $1 AND g % 2 = 1 THEN $3::uuid END, $4::timestamptz + g * interval '1 minute'
          FROM generate_series(1, $5::int) g, accounts a""", db.account, db.user, db.partner, utc(T0), JOBS);
    db.sql("ANALYZE jobs");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  static Stream<Integer> everyCombinationOfFilters() {
    // the user and the partner filters are exclusive (a person is one or the other); a range's end and a keyset
    // position are never both given (JobQuery.withOneUpperBound keeps the tighter)
    return IntStream.range(0, 32).filter(bits -> (bits & 3) != 3 && (bits & 24) != 24).boxed();
  }

  @ParameterizedTest(name = "filters {0}")
  @MethodSource("everyCombinationOfFilters")
  @DisplayName("the generic plan of every filter combination reads at most a page plus one of jobs, in index order")
  void aPageReadsAPage(int bits) {
    boolean user = (bits & 1) != 0;
    boolean partner = (bits & 2) != 0;
    boolean from = (bits & 4) != 0;
    boolean to = (bits & 8) != 0;
    boolean after = (bits & 16) != 0;
    String statement = JobRepository.listStatement(user, partner, from, to, after);
    List<String> args = new ArrayList<>();
    args.add(literal(db.account));
    if (user) {
      args.add(literal(db.user));
    }
    if (partner) {
      args.add(literal(db.partner));
    }
    if (from) {
      args.add(literal(T0));
    }
    if (to) {
      args.add(literal(T0.plusSeconds(3600L * 24)));
    }
    if (after) {
      // the keyset position of the 100th newest job
      Row row = db.conn.query("SELECT created_at, id FROM jobs WHERE account_id = '" + db.account
          + "' ORDER BY created_at DESC, id OFFSET 99 LIMIT 1").execute().await().iterator().next();
      args.add(literal(row.getOffsetDateTime("created_at").toInstant()));
      args.add(literal(row.getUUID("id")));
    }
    args.add(Integer.toString(LIMIT + 1));
    TestPlans.assertReadsAPage(statement, TestPlans.nodes(db.conn, statement, args), "jobs", "jobs_account", LIMIT,
        Integer.bitCount(bits & (4 | 8 | 16)));
  }

  @org.junit.jupiter.api.Test
  @DisplayName("the statement without filters is LIST, the one bench/jobs-index.sh explains")
  void noFilterIsList() {
    assertThat(JobRepository.listStatement(false, false, false, false, false)).isEqualTo(JobRepository.LIST);
  }

  @org.junit.jupiter.api.Test
  @DisplayName("a range's end and a keyset position: only the tighter upper bound is kept, so the page is the same")
  void oneUpperBound() {
    Instant to = T0.plusSeconds(3600);
    JobQuery cursorInside = new JobQuery(db.account, null, T0, to, LIMIT, to.minusSeconds(60), db.user);
    assertThat(cursorInside.withOneUpperBound()).isEqualTo(
        new JobQuery(db.account, null, T0, null, LIMIT, to.minusSeconds(60), db.user));
    JobQuery cursorBeyond = new JobQuery(db.account, null, T0, to, LIMIT, to, db.user);
    assertThat(cursorBeyond.withOneUpperBound()).isEqualTo(new JobQuery(db.account, null, T0, to, LIMIT, null, null));
    JobQuery noCursor = new JobQuery(db.account, null, T0, to, LIMIT, null, null);
    assertThat(noCursor.withOneUpperBound()).isSameAs(noCursor);
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
