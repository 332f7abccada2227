package com.partneraccess.activity;

import com.partneraccess.support.TestPlans;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static com.partneraccess.support.TestPlans.literal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * R23: the activity history's page statements, under the plan PostgreSQL keeps once it plans them for all values
 * (forced here), on an account with 3,000 entries among 100 accounts: a page of 20 reads at most 21 of them in
 * the account's index order, with no sort, for every combination of person, kind and one bound (from, to or the
 * position); a statement with two bounds is planned per call, with its values.
 */
@DisplayName("Activity history statements: a page reads a page")
class ActivityPlanTest {
  private static final int ENTRIES = 3_000;
  private static final int LIMIT = 20;
  private static final Instant T0 = TestPlans.Fixture.T0;
  private static TestPlans.Fixture db;

  @BeforeAll
  static void seed() {
    db = new TestPlans.Fixture();
    // alternately by the owner and by the partner, one a minute, of three kinds; as many in each other account,
    // interleaved in time
    db.sql("""
        INSERT INTO activity (account_id, at, kind, actor_user_id, partner_id, summary)
        SELECT a.id, $4::timestamptz + g * interval '1 minute',
               (ARRAY['access.enabled', 'jobs.created', 'staff.added'])[1 + g % 3],
               CASE WHEN a.id = $1 AND g % 2 = 0 THEN $2::uuid END,
               CASE WHEN a.id = $1 AND g % 2 = 1 THEN $3::uuid END, 'entry ' || g
          FROM generate_series(1, $5::int) g, accounts a ORDER BY g""",
        db.account, db.user, db.partner, T0.atOffset(ZoneOffset.UTC), ENTRIES);
    // statistics from every row (300 x target >= the table), so the planner's estimates, and its plans, are the
    // same on every run: a sample of 30,000 rows made one combination's plan differ from run to run
    db.sql("ALTER TABLE activity ALTER COLUMN account_id SET STATISTICS 1000, ALTER COLUMN actor_user_id SET STATISTICS"
        + " 1000, ALTER COLUMN partner_id SET STATISTICS 1000, ALTER COLUMN kind SET STATISTICS 1000,"
        + " ALTER COLUMN at SET STATISTICS 1000");
    db.sql("ANALYZE activity");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  /** Bits: 1 user, 2 partner, 4 kind, 8 from, 16 to, 32 before an id (user and partner exclusive). */
  static Stream<Integer> everyCombination() {
    return IntStream.range(0, 64).filter(bits -> (bits & 3) != 3).boxed();
  }

  @ParameterizedTest(name = "filters {0}")
  @MethodSource("everyCombination")
  @DisplayName("R23: every combination of filters reads a page of entries, not the account's history")
  void aPageReadsAPage(int bits) {
    boolean[] given = new boolean[6];
    for (int i = 0; i < 6; i++) {
      given[i] = (bits & (1 << i)) != 0;
    }
    String statement = ActivityRepository.pageStatement(given[0], given[1], given[2], given[3], given[4], given[5]);
    List<String> args = new ArrayList<>(List.of(literal(db.account)));
    if (given[0]) {
      args.add(literal(db.user));
    }
    if (given[1]) {
      args.add(literal(db.partner));
    }
    if (given[2]) {
      args.add(literal("jobs"));
    }
    if (given[3]) {
      args.add(literal(T0));
    }
    if (given[4]) {
      args.add(literal(T0.plusSeconds(60L * ENTRIES)));
    }
    if (given[5]) {
      long newest = db.conn.query("SELECT max(id) FROM activity WHERE account_id = '" + db.account + "'").execute().await()
          .iterator().next().getLong(0);
      args.add(literal(newest - 200));
    }
    args.add(literal(LIMIT + 1));
    TestPlans.assertReadsAPage(statement, TestPlans.nodes(db.conn, statement, args), "activity", "activity_account", LIMIT,
        Integer.bitCount(bits & (8 | 16 | 32)));
  }
}
