package com.partneraccess.rules;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.ApiClient.Reply;
import com.partneraccess.support.TestApp;
import com.partneraccess.support.TestSql;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Concurrency stress test of the stored expiry (R11-R15): over dozens of accounts, worker threads interleave
 * partner accesses (whose touches are flushed every 10 ms), job batches that cross the 100-job threshold,
 * enable/disable, request and approve, the operator's R13 switch and expiry sweeps. After each round, once
 * every access it saw is flushed (awaited, never slept), it checks that
 * <ol>
 *   <li>every enabled connection's stored {@code expires_at} equals the derivation from its inputs, computed by
 *       this test's own reference ({@link #reference}) and by the SQL function {@code connection_expiry};</li>
 *   <li>every connection's access check (a log-in) answers what the reference computes from the stored inputs;</li>
 *   <li>a partner refused as expired at the start of a round is still refused at its end unless the customer
 *       re-enabled it or approved its request in between: whether a sweep ran in between never matters.</li>
 * </ol>
 * Between rounds the clock moves forward (days) and a sweep runs or not, at random. The sweep timer is off
 * (once an hour) so every sweep is one this test asked for. {@code -Dstress.seed=N} replays the choices.
 */
@DisplayName("R11 R12 R13 Under concurrent touches, flushes, jobs crossing 100, enable/approve, operator switches "
    + "and sweeps, every stored expiry equals its derivation and every check answers as the reference does")
class ExpiryStressTest {
  private static final Logger LOG = LoggerFactory.getLogger(ExpiryStressTest.class);
  private static final Duration TTL = Duration.ofDays(60);
  private static final Instant GLOBAL_RULE_FROM = Instant.parse("2020-07-01T00:00:00Z");
  private static final int ACCOUNTS = 24;
  private static final int PARTNERS = 4;
  private static final int PARTNERS_PER_ACCOUNT = 3;
  private static final int ROUNDS = Integer.getInteger("stress.rounds", 6);
  private static final int OPS_PER_ROUND = Integer.getInteger("stress.ops", 300);
  private static final int THREADS = 8;

  static TestApp app;
  static ApiClient api;
  static RuleFixtures fx;
  static TestSql sql;

  @BeforeAll
  static void start() {
    app = TestApp.start(RuleFixtures.productConfig()
        .put("touch", new JsonObject().put("flushMillis", 10))
        .put("expiry", new JsonObject().put("sweepSeconds", 3600)));
    api = app.api();
    fx = new RuleFixtures(app);
    sql = new TestSql(app.databaseUrl);
  }

  @AfterAll
  static void stop() {
    sql.close();
    app.close();
  }

  private record Conn(int index, PartnerUser partner, Customer customer) {
    String key() {
      return partner.partnerId() + "/" + customer.accountId();
    }
  }

  /** The stored inputs and outputs of one live connection. */
  private record Stored(String access, Instant lastAccessedAt, Instant enabledAt, Instant hundredthJobAt,
                        Instant ruleFrom, Instant expiresAt, boolean sqlAgrees) {}

  private final Map<Integer, String> sessions = new ConcurrentHashMap<>();
  /** Per connection: a moment no later than the newest access the service allowed (its touch must be flushed). */
  private final Map<Integer, Instant> touchedAtLeast = new ConcurrentHashMap<>();
  /** Connections the customer re-enabled (or whose request it approved) during the current round. */
  private final Set<Integer> reEnabled = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> counts = new TreeMap<>();

  @Test
  @DisplayName("R11 R12 R13 R14 R15 stress: stored expiries and check answers agree with the reference after every round")
  void storedExpiryHasOneWriter() throws Exception {
    runWithSeed(Long.getLong("stress.seed", 20261201L));
    runWithSeed(Long.getLong("stress.seed2", System.nanoTime()));
  }

  private void runWithSeed(long seed) throws Exception {
    LOG.info("expiry stress: seed {} (replay with -Dstress.seed={})", seed, seed);
    try {
      run(seed);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("expiry stress failed with seed " + seed + " (replay with -Dstress.seed=" + seed
          + "): " + e.getMessage(), e);
    }
  }

  private void run(long seed) throws Exception {
    Random rnd = new Random(seed);
    sessions.clear();
    touchedAtLeast.clear();
    counts.clear();
    List<PartnerUser> partners = new ArrayList<>();
    for (int p = 0; p < PARTNERS; p++) {
      partners.add(api.signUpPartner("Stress " + seed + " P" + p));
    }
    List<Conn> conns = new ArrayList<>();
    List<Customer> customers = new ArrayList<>();
    for (int a = 0; a < ACCOUNTS; a++) {
      Customer c = api.signUpCustomer("Stress " + seed + " A" + a, null);
      customers.add(c);
      int first = rnd.nextInt(PARTNERS);
      for (int k = 0; k < PARTNERS_PER_ACCOUNT; k++) {
        PartnerUser p = partners.get((first + k) % PARTNERS);
        api.connectByInvite(p, c);
        conns.add(new Conn(conns.size(), p, c));
      }
      // most accounts start a little below the threshold, so job batches cross it while partners are busy
      int jobs = a % 6 == 0 ? 100 : 70 + rnd.nextInt(29);
      expect(api.createJobs(c.token(), jobs), 201);
    }
    Map<Integer, Boolean> expiredAtStart = new HashMap<>();
    long started = System.nanoTime();
    int checks = 0;
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      for (int round = 1; round <= ROUNDS; round++) {
        reEnabled.clear();
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < OPS_PER_ROUND; i++) {
          long opSeed = rnd.nextLong();
          work.add(pool.submit(() -> randomOperation(new Random(opSeed), conns, customers)));
        }
        for (Future<?> f : work) {
          f.get(60, TimeUnit.SECONDS);
        }
        awaitTouchesFlushed(conns);
        Map<Integer, String> answers = assertAgreement(conns, "round " + round + " (after the concurrent operations)");
        checks += conns.size();
        for (Conn c : conns) {
          if (Boolean.TRUE.equals(expiredAtStart.get(c.index())) && !reEnabled.contains(c.index())) {
            assertThat(answers.get(c.index()))
                .as("round %d: %s was refused as expired at the start of the round and nobody re-enabled it, "
                    + "so it stays refused (an expiry that has passed stays passed, sweep or not)", round, c.key())
                .isNotEqualTo("201");
          }
        }
        awaitTouchesFlushed(conns);

        // time passes; a sweep runs, or it does not: the answers must not depend on it
        int days = rnd.nextInt(10) < 4 ? 61 + rnd.nextInt(10) : 10 + rnd.nextInt(40);
        expect(api.post("/api/v1/test/clock", null, new JsonObject().put("days", days)
            .put("seconds", 3 + rnd.nextInt(7))), 200);
        count("moveClock");
        if (rnd.nextBoolean()) {
          sweep();
        }
        Instant now = app.clock.now();
        Map<Integer, Stored> stored = readStored(conns);
        expiredAtStart.clear();
        for (Conn c : conns) {
          expiredAtStart.put(c.index(), "403 ACCESS_EXPIRED".equals(expected(stored.get(c.index()), now)));
        }
        LOG.info("expiry stress seed {}: round {} done, clock +{} days, {} connections now expired; {}", seed, round,
            days, expiredAtStart.values().stream().filter(b -> b).count(), counts);
      }
    } finally {
      pool.shutdownNow();
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    int ops = counts.values().stream().mapToInt(AtomicInteger::get).sum();
    LOG.info("expiry stress seed {}: {} operations and {} checks over {} connections in {} ms: {}", seed, ops,
        checks, conns.size(), millis, counts);
    assertThat(counts.keySet()).as("every kind of operation ran")
        .contains("touch", "jobs", "enable", "disable", "approve", "switchNow", "sweep");
    assertThat(counts.get("jobsCrossing100")).as("job batches crossed 100").isNotNull();
  }

  // ---- the operations --------------------------------------------------------------------------

  private void randomOperation(Random rnd, List<Conn> conns, List<Customer> customers) {
    Conn c = conns.get(rnd.nextInt(conns.size()));
    int roll = rnd.nextInt(100);
    if (roll < 52) {
      touch(c, rnd.nextBoolean());
    } else if (roll < 66) {
      int quantity = 1 + rnd.nextInt(12);
      int after = expect(api.createJobs(c.customer().token(), quantity), 201).json().getInteger("jobCount");
      count("jobs");
      if (after - quantity < 100 && after >= 100) {
        count("jobsCrossing100");
      }
    } else if (roll < 76) {
      boolean enable = rnd.nextInt(3) > 0;
      expect(api.setAccess(c.customer(), c.partner().partnerId(), enable), 200);
      if (enable) {
        reEnabled.add(c.index());
      }
      count(enable ? "enable" : "disable");
    } else if (roll < 87) {
      Reply r = fx.requestAccess(c.partner(), c.customer().accountId());
      if (r.status() == 201 || r.status() == 200) {
        Reply approved = fx.approve(c.customer().token(), r.json().getString("requestId"));
        assertThat(approved.status()).as("approve: %s", approved).isIn(200, 409);
        if (approved.status() == 200) {
          reEnabled.add(c.index());
          count("approve");
        }
      } else {
        assertThat(r.status()).as("request access: %s", r).isEqualTo(409);
        count("requestWhileEnabled");
      }
    } else if (roll < 99) {
      boolean now = rnd.nextInt(10) < 7;
      expect(fx.switchRuleOn(c.customer().accountId(), now ? app.clock.now().toString() : null), 200);
      count(now ? "switchNow" : "switchGlobal");
    } else {
      sweep();
    }
  }

  /** A partner access: a log-in, or a request with its account-scoped session. */
  private void touch(Conn c, boolean withSession) {
    String session = sessions.get(c.index());
    Instant before = app.clock.now();
    Reply r = withSession && session != null
        ? api.get("/api/v1/account/jobs?limit=1", session)
        : fx.logIn(c.partner(), c.customer().accountId());
    if (r.status() / 100 == 2) {
      if (r.status() == 201) {
        sessions.put(c.index(), r.json().getString("token"));
      }
      touchedAtLeast.merge(c.index(), before, (a, b) -> a.isAfter(b) ? a : b);
      count("touch");
    } else {
      assertThat(r.status()).as("access: %s", r).isEqualTo(403);
      count("touchRefused");
    }
  }

  private void sweep() {
    expect(fx.send("POST", "/api/v1/ops/expiry/sweep", Map.of("X-Ops-Token", TestApp.OPS_TOKEN), null), 200);
    count("sweep");
  }

  private void count(String what) {
    synchronized (counts) {
      counts.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
    }
  }

  // ---- the checks ------------------------------------------------------------------------------

  /** Waits until every access the service allowed is in {@code last_accessed_at} (touches are flushed in batches). */
  private void awaitTouchesFlushed(List<Conn> conns) {
    await("every allowed access flushed").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
        .until(() -> {
          Map<Integer, Stored> stored = readStored(conns);
          for (Map.Entry<Integer, Instant> e : touchedAtLeast.entrySet()) {
            Instant last = stored.get(e.getKey()).lastAccessedAt();
            // PostgreSQL keeps microseconds
            if (last == null || last.isBefore(e.getValue().truncatedTo(java.time.temporal.ChronoUnit.MICROS))) {
              return false;
            }
          }
          return true;
        });
  }

  /**
   * Asserts (1) and (2) of the class comment; returns each connection's answer ("201" or "403 REASON").
   */
  private Map<Integer, String> assertAgreement(List<Conn> conns, String when) {
    Map<Integer, Stored> stored = readStored(conns);
    List<String> wrongExpiry = new ArrayList<>();
    for (Conn c : conns) {
      Stored s = stored.get(c.index());
      if (!"enabled".equals(s.access())) {
        continue;
      }
      Instant derived = reference(s);
      if (!Objects.equals(derived, s.expiresAt()) || !s.sqlAgrees()) {
        wrongExpiry.add(c.key() + ": stored " + s.expiresAt() + ", derived " + derived + " (sql agrees: "
            + s.sqlAgrees() + ") from " + s);
      }
    }
    assertThat(wrongExpiry).as("%s: enabled connections whose stored expiry is not the derivation of its inputs",
        when).isEmpty();

    Instant now = app.clock.now();
    Map<Integer, String> answers = new HashMap<>();
    List<String> wrongAnswers = new ArrayList<>();
    for (Conn c : conns) {
      String expected = expected(stored.get(c.index()), now);
      Reply r = fx.logIn(c.partner(), c.customer().accountId());
      String actual = r.status() == 201 ? "201" : r.status() + " " + r.reason();
      if (r.status() == 201) {
        sessions.put(c.index(), r.json().getString("token"));
        touchedAtLeast.merge(c.index(), now, (a, b) -> a.isAfter(b) ? a : b);
      }
      answers.put(c.index(), actual);
      if (!expected.equals(actual)) {
        wrongAnswers.add(c.key() + ": expected " + expected + ", got " + actual + " for " + stored.get(c.index()));
      }
    }
    assertThat(wrongAnswers).as("%s: access checks that disagree with the reference", when).isEmpty();
    return answers;
  }

  /** The reference answer of the access check from the stored inputs (not from the stored expiry). */
  private static String expected(Stored s, Instant now) {
    return switch (s.access()) {
      case "disabled" -> "403 ACCESS_DISABLED";
      case "expired" -> "403 ACCESS_EXPIRED";
      default -> {
        Instant e = reference(s);
        yield e != null && !now.isBefore(e) ? "403 ACCESS_EXPIRED" : "201";
      }
    };
  }

  /** R11-R13, R15, written from the rules (not from the code): 60 days after the latest input, once 100 jobs exist. */
  private static Instant reference(Stored s) {
    if (s.hundredthJobAt() == null) {
      return null;
    }
    Instant ruleFrom = s.ruleFrom() != null ? s.ruleFrom() : GLOBAL_RULE_FROM;
    Instant latest = ruleFrom;
    for (Instant i : new Instant[] {s.lastAccessedAt(), s.enabledAt(), s.hundredthJobAt()}) {
      if (i != null && i.isAfter(latest)) {
        latest = i;
      }
    }
    return latest.plus(TTL);
  }

  private Map<Integer, Stored> readStored(List<Conn> conns) {
    Map<String, Stored> byKey = new HashMap<>();
    for (Row r : sql.query("""
        SELECT c.partner_id::text || '/' || c.account_id::text AS k, c.access, c.last_accessed_at, c.enabled_at,
               a.hundredth_job_at, a.expiry_rule_from, c.expires_at,
               c.expires_at IS NOT DISTINCT FROM connection_expiry(c.last_accessed_at, c.enabled_at,
                                                                   a.hundredth_job_at, a.expiry_rule_from) AS sql_agrees
          FROM connections c JOIN accounts a ON a.id = c.account_id
         WHERE c.disconnected_at IS NULL""")) {
      byKey.put(r.getString("k"), new Stored(r.getString("access"), instant(r, "last_accessed_at"),
          instant(r, "enabled_at"), instant(r, "hundredth_job_at"), instant(r, "expiry_rule_from"),
          instant(r, "expires_at"), r.getBoolean("sql_agrees")));
    }
    Map<Integer, Stored> out = new HashMap<>();
    Set<String> missing = new HashSet<>();
    for (Conn c : conns) {
      Stored s = byKey.get(c.key());
      if (s == null) {
        missing.add(c.key());
      } else {
        out.put(c.index(), s);
      }
    }
    assertThat(missing).as("live connections").isEmpty();
    return out;
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }
}
