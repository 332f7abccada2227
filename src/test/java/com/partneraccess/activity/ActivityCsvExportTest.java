package com.partneraccess.activity;

import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.rules.RuleFixtures;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.TestApp;
import com.partneraccess.support.TestSql;
import com.partneraccess.time.AppClock;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DisplayName("The activity history as CSV, streamed (R32)")
class ActivityCsvExportTest {
  static final int ROWS = 200_000;
  static final OffsetDateTime START = OffsetDateTime.of(2026, 3, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  static TestApp app;
  static ApiClient api;
  static Customer busy;

  @BeforeAll
  static void start() {
    app = TestApp.start(RuleFixtures.productConfig());
    api = app.api();
    busy = api.signUpCustomer("R32 Busy Ltd", null);
    try (TestSql sql = new TestSql(app.databaseUrl)) {
      // a busy year: 200,000 rows, one every two minutes from 1 March 2026
      sql.query("""
          INSERT INTO activity (account_id, at, kind, actor_user_id, partner_id, summary)
          SELECT $1::uuid, $2::timestamptz + g * interval '2 minutes', 'bulk.row', NULL, NULL, 'Row ' || g
            FROM generate_series(1, $3::int) g""", busy.accountId(), START, ROWS);
    }
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  @DisplayName("R32 Cells are quoted as RFC 4180 says, and formulas are defused with a leading quote")
  void quotingAndFormulaGuard() {
    // R32
    assertThat(ActivityCsv.cell(null)).isEmpty();
    assertThat(ActivityCsv.cell("plain")).isEqualTo("plain");
    assertThat(ActivityCsv.cell("a,b")).isEqualTo("\"a,b\"");
    assertThat(ActivityCsv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(ActivityCsv.cell("two\nlines")).isEqualTo("\"two\nlines\"");
    assertThat(ActivityCsv.cell("=HYPERLINK(\"http://evil\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\"");
    assertThat(ActivityCsv.cell("+1")).isEqualTo("'+1");
    assertThat(ActivityCsv.cell("-2,3")).isEqualTo("\"'-2,3\"");
    assertThat(ActivityCsv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(ActivityCsv.cell("\tx")).isEqualTo("'\tx");
    ActivityEntry e = new ActivityEntry(7, "2026-03-03T09:00:00Z", "partner.login", "Logged in, twice", null, "=Evil");
    assertThat(ActivityCsv.line(e, ZoneId.of("Europe/Berlin")))
        .isEqualTo("7,2026-03-03T10:00:00+01:00,partner.login,\"Logged in, twice\",,'=Evil\r\n");
  }

  @Test
  @DisplayName("R32 A partner named like a formula is defused in the owner's download")
  void partnerNamesAreDefused() {
    // R32
    PartnerUser evil = api.signUpPartner("=cmd|' /C calc'!A0");
    Customer owner = api.signUpCustomer("R32 Guarded Ltd", null);
    api.connectByInvite(evil, owner);
    ApiClient.Reply r = expect(api.get("/api/v1/account/activity/export", owner.token()), 200);
    assertThat(r.body()).contains(",'=cmd|' /C calc'!A0\r\n").doesNotContain(",=cmd");
  }

  @Test
  @DisplayName("R32 A year of a busy account downloads as one CSV attachment of 200,000 rows, oldest first, read as a stream")
  void wholeYearOverHttp() throws Exception {
    // R32
    HttpRequest req = HttpRequest.newBuilder(URI.create(app.baseUrl()
            + "/api/v1/account/activity/export?from=2026-03-01T00:00:00Z&to=2027-03-01T00:00:00%2B00:00"))
        .header("Authorization", "Bearer " + busy.token()).timeout(Duration.ofSeconds(120)).build();
    HttpResponse<InputStream> res = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
    assertThat(res.headers().firstValue("Content-Disposition").orElseThrow())
        .isEqualTo("attachment; filename=\"activity-2026-03-01-to-2027-02-28.csv\"");
    long lines = 0;
    String previous = null;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
      assertThat(in.readLine()).isEqualTo("id,at,kind,summary,user,partner");
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] cells = line.split(",", -1);
        if (cells.length != 6 || (previous != null && cells[1].compareTo(previous) <= 0)) {
          throw new AssertionError("line " + lines + " is out of order or malformed: " + line);
        }
        previous = cells[1];
        lines++;
      }
    }
    // the account's own "account.created" row is in the range too
    assertThat(lines).isEqualTo(ROWS + 1);
  }

  @Test
  @DisplayName("R32 Backpressure: while the client reads nothing the export stops after one batch; it resumes on drain")
  void backpressure() {
    // R32
    Vertx vertx = Vertx.vertx();
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
        .connectingTo(DatabaseUrl.parse(app.databaseUrl).connectOptions()).using(vertx).build();
    try {
      ActivityService service = new ActivityService(new ActivityRepository(pool), AppClock.system(false));
      CsvExport export = new CsvExport(UUID.fromString(busy.accountId()), START.toInstant(),
          START.plusYears(1).toInstant(), ZoneId.of("UTC"), "x.csv");
      Context ctx = vertx.getOrCreateContext();
      StalledSink sink = new StalledSink(ctx);
      AtomicReference<AsyncResult<Long>> done = new AtomicReference<>();
      ctx.runOnContext(v -> service.writeCsv(export, sink).onComplete(done::set));

      // the header fills the sink: nothing more is read until it drains
      await().atMost(Duration.ofSeconds(30)).until(() -> sink.writes.get() == 1);
      sink.drain();
      // one batch is read and written, then the export waits again
      await().atMost(Duration.ofSeconds(30)).until(() -> sink.writes.get() == 2);
      assertThat(sink.lines.get()).isEqualTo(1 + ActivityService.EXPORT_BATCH);
      await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> sink.writes.get() == 2);
      assertThat(done.get()).as("the export waits for the client").isNull();

      // the client reads: every drain lets exactly one more batch through, until the end
      while (done.get() == null) {
        long before = sink.writes.get();
        sink.drain();
        await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(30))
            .until(() -> done.get() != null || sink.writes.get() == before + 1);
        assertThat(sink.lines.get()).isLessThanOrEqualTo(1 + (sink.writes.get() - 1) * (long) ActivityService.EXPORT_BATCH);
      }
      assertThat(done.get().succeeded()).isTrue();
      assertThat(done.get().result()).isEqualTo(ROWS + 1L);
      assertThat(sink.lines.get()).isEqualTo(ROWS + 2L);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("R32 Bad ranges get a 400 with a reason; the owner only")
  void badRanges() {
    // R32
    String t = busy.token();
    assertThat(expect(api.get("/api/v1/account/activity/export?from=2026-04-01T00:00:00Z&to=2026-03-01T00:00:00Z", t), 400)
        .json().getString("detail")).contains("before");
    assertThat(expect(api.get("/api/v1/account/activity/export?from=2000-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", t), 400)
        .json().getString("detail")).contains("3660 days");
    expect(api.get("/api/v1/account/activity/export?from=2026-03-01", t), 400);
  }

  /** A client that reads nothing until told to: full after every write, until {@link #drain()}. */
  static final class StalledSink implements WriteStream<Buffer> {
    final Context ctx;
    final AtomicLong writes = new AtomicLong();
    final AtomicLong lines = new AtomicLong();
    volatile boolean full;
    Handler<Void> drainHandler;

    StalledSink(Context ctx) {
      this.ctx = ctx;
    }

    void drain() {
      ctx.runOnContext(v -> {
        full = false;
        Handler<Void> h = drainHandler;
        drainHandler = null;
        if (h != null) {
          h.handle(null);
        }
      });
    }

    @Override
    public Future<Void> write(Buffer data) {
      // lines before writes: the test thread waits on writes, then reads lines, so a write must be counted whole first
      String s = data.toString(StandardCharsets.UTF_8);
      lines.addAndGet(s.chars().filter(c -> c == '\n').count());
      full = true;
      writes.incrementAndGet();
      return Future.succeededFuture();
    }

    @Override
    public boolean writeQueueFull() {
      return full;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      this.drainHandler = handler;
      return this;
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }
  }
}
