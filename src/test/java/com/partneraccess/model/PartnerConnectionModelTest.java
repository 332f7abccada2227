package com.partneraccess.model;

import com.partneraccess.support.TestApp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Model-based (stateful property) test of the partner-connection rules: thousands of random operations
 * on a small universe (3 partners, 4 account slots, each account with an owner, an admin and a staff
 * user) go to the real service and to {@link ConnectionModel}; every reply and what users see must agree.
 *
 * <p>Each run uses a fixed seed and then a random one, each on its own service; {@code -Dmodel.seed=N} replaces
 * the random seed to replay a run (the seed is logged at the start and named in any failure);
 * {@code -Dmodel.ops=N} sets the number of operations per seed (default 6,000). The service's sweep timer is
 * off (once a year): the expiry sweep runs only as one of the run's operations, so it cannot interleave unnoticed.
 */
@DisplayName("Model-based test of the partner-connection rules")
class PartnerConnectionModelTest {
  private static final Logger LOG = LoggerFactory.getLogger(PartnerConnectionModelTest.class);
  /** Touches are flushed this often here (200 ms by default in tests) so the run need not wait long for them. */
  private static final long FLUSH_MILLIS = 50;

  private static final long FIXED_SEED = 1796153277992L;

  @Test
  @DisplayName("R1-R20: random invites, answers, access changes, requests, disconnects, jobs, clock moves, sweeps and "
      + "partner access give the same replies and lists as the reference model (a fixed seed and a random one)")
  void serviceAgreesWithTheModel() {
    // R1 R2 R5 R6 R7 R8 R9 R10 R11 R12 R13 R14 R15 R16 R18 R19 R20
    runSeed(FIXED_SEED);
    runSeed(Long.getLong("model.seed", System.currentTimeMillis()));
  }

  private static void runSeed(long seed) {
    int ops = Integer.getInteger("model.ops", 6_000);
    LOG.info("model-based run: seed {} ({} operations); replay with -Dmodel.seed={}", seed, ops, seed);
    try (TestApp app = TestApp.start(new JsonObject().put("touch", new JsonObject().put("flushMillis", FLUSH_MILLIS))
        .put("expiry", new JsonObject().put("sweepSeconds", 365 * 86_400))
        .put("reviews", new JsonObject().put("sweepSeconds", 365 * 86_400)))) {
      ModelRun run = new ModelRun(app.baseUrl(), seed, 3, 4, FLUSH_MILLIS);
      List<String> mismatches = new ArrayList<>();
      long started = System.nanoTime();
      int done = 0;
      try {
        run.setUp();
        for (int i = 1; i <= ops; i++) {
          run.step(i);
          done = i;
          if (i % 500 == 0) {
            run.observeLists(true);
          } else if (i % 100 == 0) {
            run.observeLists(false);
          }
          if (i % 2000 == 0) {
            LOG.info("model run seed {}: {} operations done", seed, i);
          }
        }
        run.observeLists(true);
      } catch (ModelRun.Mismatch m) {
        mismatches.add(m.getMessage());
        LOG.error("model mismatch: {}", m.getMessage());
      }
      run.logSummary((System.nanoTime() - started) / 1_000_000, done);
      assertThat(mismatches).as("mismatches of seed %d (replay with -Dmodel.seed=%d)", seed, seed).isEmpty();
      assertThat(done).as("operations run with seed %d", seed).isEqualTo(ops);
      if (ops >= 2_000) {
        assertThat(run.opCounts()).as("every kind of operation ran (seed %d)", seed)
            .containsKeys("invite", "acceptInvite", "declineInvite", "withdraw", "enable", "disable", "requestAccess",
                "approve", "deny", "disconnectByCustomer", "disconnectByPartner", "createJobs", "moveClock", "logIn",
                "accountRequest", "ownerOnly", "read", "switchRuleOn", "sweep");
      }
    }
  }
}
