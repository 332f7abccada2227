package com.partneraccess.bench;

import com.partneraccess.db.DatabaseUrl;
import com.partneraccess.expiry.ExpiryClient;
import com.partneraccess.expiry.ExpiryVerticle;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.TestApp;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * Benchmark (not a test) of issue 10, goal 4: the expiry sweep at scale. Starts the whole service (as the tests do),
 * seeds {@code bench.connections} enabled connections (default 1,000,000; accounts with 10 partners each, partners
 * with one user each) of which {@code bench.due} (default 100,000, spread over partners and accounts) are past their
 * expiry, by set-based SQL with the triggers' writes done set-based and checked ({@link #seed}), runs ANALYZE,
 * then drives the hot path ({@code GET /api/v1/account/jobs?limit=1} with a partner's account-scoped token) with
 * {@code bench.clients} closed-loop clients: {@code bench.beforeSeconds} before the sweep, then during one sweep
 * (requested through {@code expiry.sweep}). Reports the sweep's time, the hot path's p50/p99 before and during, the
 * longest gap between two answers during the sweep (a stall), and the NOTIFYs counted on a LISTEN connection. Run
 * it with {@code bench/sweep.sh}; it writes a Markdown results file.
 */
public final class SweepBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(SweepBenchmark.class);
  static final int CONNECTIONS = Integer.getInteger("bench.connections", 1_000_000);
  static final int DUE = Integer.getInteger("bench.due", 100_000);
  static final int CLIENTS = Integer.getInteger("bench.clients", 8);
  static final int BEFORE_SECONDS = Integer.getInteger("bench.beforeSeconds", 10);
  static final int BATCH = Integer.getInteger("bench.batch", 1_000);
  static final int PAUSE_MILLIS = Integer.getInteger("bench.pauseMillis", 20);
  static final int WORKERS = Integer.getInteger("bench.workers", 1);
  /** Connections made due after the measured sweep for the database-CPU measurement ({@link SweepCpu}); 0: none. */
  static final int CPU_DUE = Integer.getInteger("bench.cpuDue", Math.min(DUE, 10_000));
  /** Goals of issue 10: 100,000 due in at most 10 s; p99 during at most 2× before; no stall. */
  static final double GOAL_SECONDS_PER_100K = 10.0;
  static final double STALL_MILLIS = 500;
  static final String[] CHANNELS = {"live_batches", "banners", "access_changes", "notifications"};

  private SweepBenchmark() {}

  /** One client's answers: when each ended (ns) and how long it took (ns). */
  static final class Samples {
    long[] ends = new long[1 << 16];
    long[] took = new long[1 << 16];
    volatile int n; // written by its client only, read by the window check
    int errors;

    void add(long end, long latency) {
      if (n == ends.length) {
        ends = Arrays.copyOf(ends, n * 2);
        took = Arrays.copyOf(took, n * 2);
      }
      ends[n] = end;
      took[n] = latency;
      n++;
    }
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "bench/results/sweep.md");
    if (DUE > CONNECTIONS || CONNECTIONS < 1_000) {
      throw new IllegalArgumentException("need bench.connections >= 1000 and bench.due <= bench.connections");
    }
    JsonObject overrides = new JsonObject()
        .put("expiry", new JsonObject().put("sweepSeconds", 86_400).put("batchSize", BATCH)
            .put("pauseMillis", PAUSE_MILLIS).put("workers", WORKERS))
        // the outboxes' senders are not the sweep: the e-mail relay (which logs each e-mail here, no SMTP) and the
        // webhook deliveries would otherwise run during the measurement; the sweep still writes every outbox row
        .put("mail", new JsonObject().put("outbox", new JsonObject().put("pollMillis", 3_600_000)))
        .put("webhooks", new JsonObject().put("enabled", false));
    try (TestApp app = TestApp.start(overrides)) {
      ApiClient api = app.api();
      ApiClient.PartnerUser hot = api.signUpPartner("Hot Path Partners");
      ApiClient.Customer customer = api.signUpCustomer("Hot Path Customer", null);
      api.connectByInvite(hot, customer);
      String session = api.session(hot, customer.accountId());

      long seedStart = System.nanoTime();
      seed(app.databaseUrl, app.clock.nowUtc().toInstant());
      double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
      LOG.info("seeded {} connections ({} due) in {} s", CONNECTIONS, DUE, String.format(Locale.ROOT, "%.1f", seedSeconds));

      Map<String, AtomicInteger> notifies = new ConcurrentHashMap<>();
      PgConnection listener = PgConnection.connect(app.vertx, DatabaseUrl.parse(app.databaseUrl).connectOptions()).await();
      listener.notificationHandler(n -> notifies.computeIfAbsent(n.getChannel(), k -> new AtomicInteger()).incrementAndGet());
      for (String channel : CHANNELS) {
        listener.query("LISTEN " + channel).execute().await();
      }

      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/v1/account/jobs?limit=1"))
          .header("Authorization", "Bearer " + session).timeout(Duration.ofSeconds(60)).GET().build();
      for (int i = 0; i < 300; i++) { // warm-up
        http.send(request, HttpResponse.BodyHandlers.discarding());
      }
      Samples[] samples = new Samples[CLIENTS];
      Thread[] clients = new Thread[CLIENTS];
      long[] window = new long[4]; // before start, sweep start, sweep end
      volatileStop = false;
      for (int c = 0; c < CLIENTS; c++) {
        Samples s = samples[c] = new Samples();
        clients[c] = new Thread(() -> {
          long hardStop = System.nanoTime() + Duration.ofMinutes(30).toNanos(); // bounded whatever happens
          while (!volatileStop && System.nanoTime() < hardStop) {
            long t0 = System.nanoTime();
            try {
              int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
              long t1 = System.nanoTime();
              if (status == 200) {
                s.add(t1, t1 - t0);
              } else {
                s.errors++;
              }
            } catch (Exception e) {
              s.errors++;
            }
          }
        }, "hot-path-" + c);
        clients[c].start();
      }
      window[0] = System.nanoTime();
      // the measurement window before the sweep: checked every 100 ms until it has lasted BEFORE_SECONDS and every
      // client has answered at least once (a window without answers would measure nothing)
      long beforeNanos = Duration.ofSeconds(BEFORE_SECONDS).toNanos();
      await("the measurement window before the sweep").pollInterval(Duration.ofMillis(100))
          .atMost(Duration.ofSeconds(BEFORE_SECONDS + 60L))
          .until(() -> System.nanoTime() - window[0] >= beforeNanos && Arrays.stream(samples).allMatch(x -> x.n > 0));
      window[1] = System.nanoTime();
      ExpiryVerticle.Sweep sweep;
      try {
        sweep = new ExpiryClient(app.vertx).sweepNow(Duration.ofMinutes(60).toMillis()).await();
      } finally {
        window[2] = System.nanoTime();
        volatileStop = true; // the clients stop whether the sweep succeeded or failed
      }
      for (Thread t : clients) {
        t.join(70_000);
      }
      // the batches that committed (one live batch with banners each; a batch cancelled by the statement timeout
      // rolled back and was retried with half the rows, so there can be more than expired / BATCH)
      int expectedBatches = committedBatches(app.databaseUrl);
      // the last batch's NOTIFY arrives right after its commit: await it (up to 5 s; fewer is reported as missed)
      try {
        await("a NOTIFY per batch").pollInterval(Duration.ofMillis(50)).atMost(Duration.ofSeconds(5))
            .until(() -> count(notifies, "live_batches") >= expectedBatches);
      } catch (ConditionTimeoutException e) {
        LOG.warn("{} of {} batch NOTIFYs arrived", count(notifies, "live_batches"), expectedBatches);
      }
      listener.close().await();
      SweepCpu.Result cpu = CPU_DUE <= 0 ? null
          : SweepCpu.measure(app.vertx, app.databaseUrl, app.clock.nowUtc().toInstant(), CPU_DUE);

      double sweepSeconds = (window[2] - window[1]) / 1e9;
      double[] before = latencies(samples, window[0] + Duration.ofSeconds(1).toNanos(), window[1]);
      double[] during = latencies(samples, window[1], window[2]);
      double gapMillis = longestGap(samples, window[1], window[2]);
      int errors = Arrays.stream(samples).mapToInt(s -> s.errors).sum();
      String report = report(sweep, sweepSeconds, seedSeconds, before, during, gapMillis, errors, notifies,
          expectedBatches) + cpuLine(cpu);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report);
      LOG.info("Sweep benchmark written to {}\n{}", out, report);
    }
  }

  private static volatile boolean volatileStop;

  private static int count(Map<String, AtomicInteger> counts, String key) {
    AtomicInteger n = counts.get(key);
    return n == null ? 0 : n.get();
  }

  /** Latencies (ms, sorted) of the answers that ended in [from, to). */
  static double[] latencies(Samples[] all, long from, long to) {
    int total = 0;
    for (Samples s : all) {
      total += s.n;
    }
    double[] out = new double[total];
    int k = 0;
    for (Samples s : all) {
      for (int i = 0; i < s.n; i++) {
        if (s.ends[i] >= from && s.ends[i] < to) {
          out[k++] = s.took[i] / 1e6;
        }
      }
    }
    out = Arrays.copyOf(out, k);
    Arrays.sort(out);
    return out;
  }

  /** The longest time (ms) in [from, to] without any answer, counting from {@code from} and up to {@code to}. */
  static double longestGap(Samples[] all, long from, long to) {
    long[] ends = Arrays.stream(all).flatMapToLong(s -> Arrays.stream(s.ends, 0, s.n))
        .filter(e -> e >= from && e <= to).sorted().toArray();
    long prev = from;
    long gap = 0;
    for (long e : ends) {
      gap = Math.max(gap, e - prev);
      prev = e;
    }
    gap = Math.max(gap, to - prev);
    return gap / 1e6;
  }

  static double pct(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /**
   * {@code CONNECTIONS} connections: accounts of 10 connections each (all with their 100th job 100 days ago, so the
   * 60-day clock runs), partners with one user (admin) each, every 10 accounts a partner; connection i is account
   * i / 10's k-th (k = i % 10) with partner (a + k × P/10) mod P, so each account has 10 distinct partners. Every
   * (CONNECTIONS / DUE)-th connection was last used 61 days ago (due); the others within the last 40 hours (not due,
   * and no warning due either).
   *
   * <p>Fast (the seed is not what is measured): the rows are inserted with {@code session_replication_role = replica},
   * which skips the triggers and foreign-key checks for this session only, and what the triggers would have written is
   * written set-based instead: {@code expires_at} by V008's own function {@code connection_expiry}, and each
   * connection's first history row exactly as V090's insert trigger writes it. Then it checks that the derived state
   * is what the triggers compute (every expiry equals {@code connection_expiry} of its inputs, every connection has its
   * one history row) and fails the benchmark otherwise. The secondary indexes of {@code connections} and
   * {@code access_history} are dropped for the insert and built again from their own definitions. The sweep itself runs with every trigger on.
   */
  static void seed(String databaseUrl, Instant now) throws Exception {
    int accounts = CONNECTIONS / 10;
    int partners = Math.max(10, CONNECTIONS / 100) / 10 * 10;
    int every = Math.max(1, CONNECTIONS / Math.max(1, DUE));
    DatabaseUrl url = DatabaseUrl.parse(databaseUrl);
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         Statement s = c.createStatement()) {
      s.execute("SET synchronous_commit = off");
      s.execute("SET statement_timeout = 0");
      s.execute("SET maintenance_work_mem = '256MB'");
      s.execute("SET session_replication_role = replica"); // this session only: no triggers, no FK checks
      s.execute("CREATE TEMP TABLE bench_partners AS SELECT g AS n, gen_random_uuid() AS id FROM generate_series(0, %d) g"
          .formatted(partners - 1));
      s.execute("CREATE TEMP TABLE bench_accounts AS SELECT g AS n, gen_random_uuid() AS id FROM generate_series(0, %d) g"
          .formatted(accounts - 1));
      s.execute("""
          INSERT INTO partners (id, name, referral_code, created_at)
          SELECT id, 'Sweep Partner ' || n, 'SWEEP-' || n, '%1$s'::timestamptz - interval '200 days' FROM bench_partners""".formatted(now));
      s.execute("""
          INSERT INTO users (id, email, password_hash, name, kind, partner_id, partner_role, created_at)
          SELECT gen_random_uuid(), 'sweep-partner-' || n || '@bench.example', 'not-a-hash', 'Partner user ' || n,
                 'partner', id, 'admin', '%1$s'::timestamptz - interval '200 days' FROM bench_partners""".formatted(now));
      s.execute("""
          INSERT INTO accounts (id, business_name, plan, job_count, hundredth_job_at, created_at)
          SELECT id, 'Sweep Customer ' || n, 'standard', 100, '%1$s'::timestamptz - interval '100 days',
                 '%1$s'::timestamptz - interval '200 days' FROM bench_accounts""".formatted(now));
      s.execute("""
          CREATE TEMP TABLE bench_connections AS
          SELECT gen_random_uuid() AS id, p.id AS partner_id, a.id AS account_id,
                 CASE WHEN g %% %2$d = 0 THEN '%1$s'::timestamptz - interval '61 days'
                      ELSE '%1$s'::timestamptz - (g %% 40) * interval '1 hour' END AS last_access
            FROM generate_series(0, %3$d) g
            JOIN bench_accounts a ON a.n = g / 10
            JOIN bench_partners p ON p.n = (g / 10 + (g %% 10) * %4$d) %% %5$d""".formatted(
          now, every, CONNECTIONS - 1, partners / 10, partners));
      // expires_at as V008's trigger derives it: connection_expiry of the row's and its account's inputs, called once
      // per distinct input (a few dozen) instead of once per row
      s.execute("""
          CREATE TEMP TABLE bench_expiry AS
          SELECT d.*, connection_expiry(d.last_access, d.enabled_at, d.hundredth_job_at, d.expiry_rule_from) AS expires_at
            FROM (SELECT DISTINCT b.last_access, '%1$s'::timestamptz - interval '90 days' AS enabled_at,
                         a.hundredth_job_at, a.expiry_rule_from
                    FROM bench_connections b JOIN accounts a ON a.id = b.account_id) d""".formatted(now));
      // the secondary indexes of the two big tables are built once after the rows are in (same definitions)
      List<String> indexes = new ArrayList<>();
      try (var r = s.executeQuery("""
          SELECT indexname, indexdef FROM pg_indexes
           WHERE schemaname = 'public' AND tablename IN ('connections', 'access_history')
             AND indexname NOT IN (SELECT conname FROM pg_constraint)""")) {
        while (r.next()) {
          indexes.add(r.getString(1));
          indexes.add(r.getString(2));
        }
      }
      for (int i = 0; i < indexes.size(); i += 2) {
        s.execute("DROP INDEX " + indexes.get(i));
      }
      s.execute("""
          INSERT INTO connections (id, partner_id, account_id, origin, access, connected_at, enabled_at,
                                   last_accessed_at, access_changed_at, expires_at)
          SELECT b.id, b.partner_id, b.account_id, 'invite', 'enabled', e.enabled_at, e.enabled_at, b.last_access,
                 e.enabled_at, e.expires_at
            FROM bench_connections b JOIN accounts a ON a.id = b.account_id
            JOIN bench_expiry e ON e.last_access = b.last_access
                               AND e.hundredth_job_at IS NOT DISTINCT FROM a.hundredth_job_at
                               AND e.expiry_rule_from IS NOT DISTINCT FROM a.expiry_rule_from
           ORDER BY b.id""");
      // each connection's first history row, as V090's AFTER INSERT trigger writes it
      s.execute("""
          INSERT INTO access_history (connection_id, account_id, partner_id, state, from_at, reason)
          SELECT c.id, c.account_id, c.partner_id, c.access, c.connected_at, 'connected (' || c.origin || ')'
            FROM connections c JOIN bench_connections b ON b.id = c.id""");
      for (int i = 0; i < indexes.size(); i += 2) {
        s.execute(indexes.get(i + 1));
      }
      s.execute("SET session_replication_role = origin");
      // one active subscription to access.expired, so each expiry also fans out to a webhook delivery (R33)
      s.execute("""
          INSERT INTO webhook_subscriptions (id, url, secret, events, active, created_at)
          VALUES (gen_random_uuid(), 'http://127.0.0.1:9/hook', 'bench-secret', ARRAY['access.expired'], true, '%1$s')"""
          .formatted(now));
      s.execute("VACUUM ANALYZE");
      // the derived state is what the triggers would have written
      try (var r = s.executeQuery("""
          SELECT (SELECT count(*) FROM (SELECT DISTINCT c.expires_at, c.last_accessed_at, c.enabled_at,
                                                a.hundredth_job_at, a.expiry_rule_from
                                           FROM connections c JOIN accounts a ON a.id = c.account_id
                                          WHERE c.access = 'enabled' AND c.disconnected_at IS NULL) d
                   WHERE d.expires_at IS DISTINCT FROM
                         connection_expiry(d.last_accessed_at, d.enabled_at, d.hundredth_job_at, d.expiry_rule_from)),
                 (SELECT count(*) FROM (SELECT c.id FROM connections c JOIN bench_connections b ON b.id = c.id
                                          LEFT JOIN access_history h ON h.connection_id = c.id
                                         GROUP BY c.id HAVING count(h.id) <> 1) x),
                 (SELECT count(*) FROM connections c JOIN bench_connections b ON b.id = c.id
                   WHERE c.expires_at <= '%1$s'::timestamptz)""".formatted(now))) {
        r.next();
        if (r.getLong(1) != 0 || r.getLong(2) != 0 || r.getLong(3) != (CONNECTIONS + every - 1) / every) {
          throw new IllegalStateException("seed inconsistent: %d expiries differ from connection_expiry, %d connections "
              + "without exactly one history row, %d due (expected %d)".formatted(r.getLong(1), r.getLong(2),
              r.getLong(3), (CONNECTIONS + every - 1) / every));
        }
      }
    }
  }

  private static String cpuLine(SweepCpu.Result cpu) {
    return cpu == null ? "" : String.format(Locale.ROOT, """

        CPU per expired connection (a second sweep of %,d connections made due after this one, alone: hot path
        stopped, after a CHECKPOINT): database %.3f ms (every PostgreSQL process), service JVM %.3f ms; that sweep
        took %.2f s.
        """, cpu.expired(), cpu.dbMillisPerConnection(), cpu.jvmMillisPerConnection(), cpu.seconds());
  }

  /** The expiry batches that committed: each stored one live batch with its banners (V110). */
  static int committedBatches(String databaseUrl) throws Exception {
    DatabaseUrl url = DatabaseUrl.parse(databaseUrl);
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         Statement s = c.createStatement();
         var r = s.executeQuery("SELECT count(DISTINCT id) FROM live_batches WHERE channel = 'banners'")) {
      r.next();
      return r.getInt(1);
    }
  }

  private static String report(ExpiryVerticle.Sweep sweep, double sweepSeconds, double seedSeconds, double[] before,
                               double[] during, double gapMillis, int errors, Map<String, AtomicInteger> notifies,
                               int committed) {
    double per100k = sweep.expired() == 0 ? Double.NaN : sweepSeconds * 100_000.0 / sweep.expired();
    double p99Before = pct(before, 99);
    double p99During = pct(during, 99);
    boolean fullScale = CONNECTIONS >= 1_000_000 && DUE >= 100_000;
    String timeGoal = String.format(Locale.ROOT, "%s: %.2f s for %,d due (%.1f s per 100,000)%s",
        per100k <= GOAL_SECONDS_PER_100K ? "met" : "MISSED", sweepSeconds, sweep.expired(), per100k,
        fullScale ? "" : " — small scale: per-100,000 figure extrapolated, the lead's full-scale run decides");
    String p99Goal = String.format(Locale.ROOT, "%s: p99 %.1f ms during vs %.1f ms before (%.2f×, goal ≤ 2×)",
        p99During <= 2 * p99Before ? "met" : "MISSED", p99During, p99Before, p99During / p99Before);
    String stallGoal = String.format(Locale.ROOT, "%s: longest time without any answer during the sweep %.0f ms (goal ≤ %.0f ms)",
        gapMillis <= STALL_MILLIS ? "met" : "MISSED", gapMillis, STALL_MILLIS);
    int batches = count(notifies, "live_batches");
    int full = (sweep.expired() + BATCH - 1) / BATCH;
    String notifyGoal = String.format(Locale.ROOT, "%s: %d NOTIFYs on live_batches for %,d committed batches (%,d of "
            + "%,d rows would do; more: each round's slow start, batches halved after a statement timeout); per-row "
            + "NOTIFYs on banners / access_changes / notifications: %d / %d / %d",
        batches == committed && count(notifies, "banners") + count(notifies, "access_changes")
            + count(notifies, "notifications") == 0 ? "met" : "MISSED",
        batches, committed, full, BATCH, count(notifies, "banners"),
        count(notifies, "access_changes"), count(notifies, "notifications"));
    return String.format(Locale.ROOT, """
        # Expiry sweep benchmark (issue 10, goal 4)

        %,d enabled connections (%,d accounts of 10 connections, %,d partners with one user each), %,d of them past
        their expiry, seeded in %.1f s (set-based SQL, triggers' writes done set-based and checked). One sweep requested through
        `expiry.sweep` (batches of up to %,d, up to %d ms between batches, %d worker(s)) while %d closed-loop clients call the hot path
        `GET /api/v1/account/jobs?limit=1` with a partner's account-scoped token, for %d s before the sweep and
        throughout it. Each expiry writes its activity row, banner, history row, notification and e-mail (one partner
        user), webhook event and delivery (one subscription); the e-mail relay and webhook sender are paused during the
        run (they are not the sweep). Re-run: `bench/sweep.sh [connections] [due]` (writes this file).

        | | answers | p50 ms | p99 ms | max ms |
        | --- | ---: | ---: | ---: | ---: |
        | hot path before the sweep | %,d | %.1f | %.1f | %.1f |
        | hot path during the sweep | %,d | %.1f | %.1f | %.1f |

        Sweep: %,d expired, %,d warned, in %.2f s (%,.0f connections/s). Hot-path errors: %d.

        Goals:
        - 100,000 due in ≤ 10 s — %s
        - hot path p99 during the sweep ≤ 2× before — %s
        - no stall — %s
        - one NOTIFY per batch — %s

        Machine: %s, %d CPUs available to the JVM, Java %s, %s. Run at %s. The service, its embedded PostgreSQL
        and the clients share the machine (load average after the run: %s): on a shared machine the figures are
        pessimistic.
        """,
        CONNECTIONS, CONNECTIONS / 10, Math.max(10, CONNECTIONS / 100) / 10 * 10, DUE, seedSeconds, BATCH,
        PAUSE_MILLIS, WORKERS, CLIENTS, BEFORE_SECONDS,
        before.length, pct(before, 50), p99Before, pct(before, 100),
        during.length, pct(during, 50), p99During, pct(during, 100),
        sweep.expired(), sweep.warned(), sweepSeconds, sweep.expired() / sweepSeconds, errors,
        timeGoal, p99Goal, stallGoal, notifyGoal,
        BenchMachine.cpuModel(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        Instant.now().toString().substring(0, 16) + "Z", BenchMachine.loadAverage());
  }
}
