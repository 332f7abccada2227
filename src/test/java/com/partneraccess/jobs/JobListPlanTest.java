package com.partneraccess.jobs;

import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.db.Sql;
import com.partneraccess.support.TestDatabase;
import com.partneraccess.support.TestPlans;
import com.partneraccess.support.TestSql;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;
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
 * The plan of each jobs-list statement as the service has it made (a cached statement's generic plan, forced here;
 * one with two bounds planned with its values): a page of 20 out of an account's 600 jobs reads the account's jobs in index order and stops after 21
 * rows, with no sort, whatever the filters. The catch-all statement it replaced ({@code ($n IS NULL OR ...)} for
 * every filter) read all 600 and sorted them for every page.
 */
@DisplayName("Jobs list statements: a page reads a page")
class JobListPlanTest {
  private static final int JOBS = 600;
  private static final int LIMIT = 20;
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final UUID ACCOUNT = UUID.randomUUID();
  private static final UUID OTHER_ACCOUNT = UUID.randomUUID();
  private static final UUID USER = UUID.randomUUID();
  private static final UUID PARTNER = UUID.randomUUID();
  private static Vertx vertx;
  private static PgConnection conn;

  @BeforeAll
  static void seed() {
    String url = TestDatabase.newDatabase();
    try (TestSql sql = new TestSql(url)) {
      sql.query("INSERT INTO accounts (id, business_name, plan, created_at) VALUES ($1, 'Plan Co', 'standard', $3),"
          + " ($2, 'Other Co', 'standard', $3)", ACCOUNT, OTHER_ACCOUNT, utc(T0));
      sql.query("INSERT INTO users (id, email, password_hash, name, kind, account_id, role, created_at)"
          + " VALUES ($1, 'plan-owner@example.test', 'x', 'Owner', 'customer', $2, 'owner', $3)", USER, ACCOUNT, utc(T0));
      sql.query("INSERT INTO partners (id, name, referral_code, created_at) VALUES ($1, 'Plan Partners', 'PLAN-1', $2)",
          PARTNER, utc(T0));
      // half by the owner, half by the partner, one a minute; as many in another account
      sql.query("""
          INSERT INTO jobs (id, account_id, title, created_by, partner_id, created_at)
          SELECT gen_random_uuid(), a, 'job ' || g, CASE WHEN g % 2 = 0 THEN $3::uuid END,
                 CASE WHEN g % 2 = 1 THEN $4::uuid END, $5::timestamptz + g * interval '1 minute'
            FROM generate_series(1, $6::int) g, unnest(ARRAY[$1::uuid, $2::uuid]) a""",
          ACCOUNT, OTHER_ACCOUNT, USER, PARTNER, utc(T0), JOBS);
      sql.query("ANALYZE jobs");
    }
    vertx = Vertx.vertx();
    conn = PgConnection.connect(vertx, DatabaseUrl.parse(url).connectOptions()).await();
  }

  @AfterAll
  static void close() {
    conn.close().await();
    vertx.close().await();
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
    args.add(literal(ACCOUNT));
    if (user) {
      args.add(literal(USER));
    }
    if (partner) {
      args.add(literal(PARTNER));
    }
    if (from) {
      args.add(literal(T0));
    }
    if (to) {
      args.add(literal(T0.plusSeconds(3600L * 24)));
    }
    if (after) {
      // the keyset position of the 100th newest job
      Row row = conn.query("SELECT created_at, id FROM jobs WHERE account_id = '" + ACCOUNT
          + "' ORDER BY created_at DESC, id OFFSET 99 LIMIT 1").execute().await().iterator().next();
      args.add(literal(row.getOffsetDateTime("created_at").toInstant()));
      args.add(literal(row.getUUID("id")));
    }
    args.add(Integer.toString(LIMIT + 1));
    List<JsonObject> nodes = TestPlans.nodes(conn, statement, args);
    assertThat(statement.startsWith(Sql.PLAN_PER_CALL)).as("planned per call: two bounds")
        .isEqualTo(Integer.bitCount(bits & (4 | 8 | 16)) >= 2);
    assertThat(nodes).as(statement).noneMatch(n -> n.getString("Node Type").contains("Sort"));
    JsonObject jobsScan = TestPlans.scanOf(nodes, "jobs");
    assertThat(jobsScan.getString("Node Type")).as(statement).isEqualTo("Index Scan");
    assertThat(jobsScan.getLong("Actual Rows")).as(statement).isBetween(1L, (long) LIMIT + 1);
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
    JobQuery cursorInside = new JobQuery(ACCOUNT, null, T0, to, LIMIT, to.minusSeconds(60), USER);
    assertThat(cursorInside.withOneUpperBound()).isEqualTo(
        new JobQuery(ACCOUNT, null, T0, null, LIMIT, to.minusSeconds(60), USER));
    JobQuery cursorBeyond = new JobQuery(ACCOUNT, null, T0, to, LIMIT, to, USER);
    assertThat(cursorBeyond.withOneUpperBound()).isEqualTo(new JobQuery(ACCOUNT, null, T0, to, LIMIT, null, null));
    JobQuery noCursor = new JobQuery(ACCOUNT, null, T0, to, LIMIT, null, null);
    assertThat(noCursor.withOneUpperBound()).isSameAs(noCursor);
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
