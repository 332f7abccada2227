package com.partneraccess.access;

import com.partneraccess.bus.Addresses;
import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access check stays on the caller's event loop: consumers deployed one per loop each register an address for
 * their loop, and a caller on a loop is routed to that loop's; a caller elsewhere, or after the consumer stopped,
 * uses the shared {@code rules.check}. Each loop bounds the checks sent on it with one timer.
 */
@DisplayName("Access checks: answered on the loop that asks")
class LoopLocalChecksTest {

  /** Registers like AccessRuleVerticle does, and records its thread and address. */
  static final class Consumer extends VerticleBase {
    static final Map<Thread, String> STARTED = new ConcurrentHashMap<>();
    private Thread thread;
    private LoopLocalChecks.Loop loop;

    @Override
    public Future<?> start() {
      thread = Thread.currentThread();
      loop = LoopLocalChecks.register();
      STARTED.put(thread, loop.address());
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      LoopLocalChecks.unregister(thread, loop);
      return Future.succeededFuture();
    }
  }

  /** Asks, from its own loop, which address a check would go to. */
  static final class Caller extends VerticleBase {
    static final List<String[]> SEEN = new CopyOnWriteArrayList<>();

    @Override
    public Future<?> start() {
      LoopLocalChecks.Loop loop = LoopLocalChecks.forCurrentThread();
      SEEN.add(new String[] {Thread.currentThread().getName(), loop == null ? null : loop.address()});
      return Future.succeededFuture();
    }
  }

  @Test
  @DisplayName("a caller on each loop gets its loop's consumer; elsewhere, or once it stopped, the shared address")
  void routedToTheCallersLoop() {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try {
      String consumers = vertx.deployVerticle(Consumer::new, new DeploymentOptions().setInstances(2)).await();
      vertx.deployVerticle(Caller::new, new DeploymentOptions().setInstances(2)).await();
      assertThat(Consumer.STARTED).as("one consumer per loop").hasSize(2);
      assertThat(Caller.SEEN).hasSize(2);
      for (String[] seen : Caller.SEEN) {
        String expected = Consumer.STARTED.entrySet().stream().filter(e -> e.getKey().getName().equals(seen[0]))
            .map(Map.Entry::getValue).findFirst().orElseThrow();
        assertThat(seen[1]).as("the caller on " + seen[0]).isEqualTo(expected).startsWith(Addresses.RULES_CHECK + ".loop.");
      }
      assertThat(LoopLocalChecks.forCurrentThread()).as("the test's own thread: none, so rules.check").isNull();
      vertx.undeploy(consumers).await();
      Caller.SEEN.clear();
      vertx.deployVerticle(Caller::new, new DeploymentOptions().setInstances(2)).await();
      assertThat(Caller.SEEN).allSatisfy(seen -> assertThat(seen[1]).isNull());
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("a check left unanswered fails as unavailable once its time is up, not before; answered ones are let go")
  void unansweredChecksFailAfterTheTimeout() {
    LoopLocalChecks.Loop loop = LoopLocalChecks.register();
    try {
      long start = 1_000_000_000L;
      Promise<AccessGrant> answered = Promise.promise();
      Promise<AccessGrant> lost = Promise.promise();
      assertThat(loop.track(answered, start)).isTrue();
      assertThat(loop.track(lost, start + 1)).isTrue();
      answered.complete(new AccessGrant(java.util.UUID.randomUUID(), null, "Acme"));
      loop.expire(start + TimeUnit.MILLISECONDS.toNanos(AccessClient.TIMEOUT_MILLIS) - 1);
      assertThat(lost.future().isComplete()).as("not overdue yet").isFalse();
      assertThat(loop.waiting()).isEqualTo(1);
      loop.expire(start + TimeUnit.MILLISECONDS.toNanos(AccessClient.TIMEOUT_MILLIS) + 1);
      assertThat(lost.future().failed()).isTrue();
      assertThat(lost.future().cause()).isInstanceOfSatisfying(DomainException.class,
          e -> assertThat(e.problem()).isEqualTo(Problem.UNAVAILABLE));
      assertThat(loop.waiting()).isZero();
    } finally {
      LoopLocalChecks.unregister(Thread.currentThread(), loop);
    }
  }

  @Test
  @DisplayName("at most MAX_PENDING checks wait on one loop; a consumer going away fails the ones still waiting")
  void boundedAndFailedOnStop() {
    LoopLocalChecks.Loop loop = LoopLocalChecks.register();
    try {
      List<Promise<AccessGrant>> waiting = new java.util.ArrayList<>();
      for (int i = 0; i < LoopLocalChecks.MAX_PENDING; i++) {
        Promise<AccessGrant> p = Promise.promise();
        assertThat(loop.track(p, i)).isTrue();
        waiting.add(p);
      }
      assertThat(loop.track(Promise.promise(), LoopLocalChecks.MAX_PENDING)).as("one too many").isFalse();
      loop.failAll();
      assertThat(waiting).allSatisfy(p -> assertThat(p.future().failed()).isTrue());
      assertThat(loop.track(Promise.promise(), 0)).as("room again").isTrue();
    } finally {
      LoopLocalChecks.unregister(Thread.currentThread(), loop);
    }
  }

  @Test
  @DisplayName("answered checks queued behind a slow one do not count against MAX_PENDING: only waiting checks are refused room")
  void answeredChecksBehindASlowOneLeaveRoom() {
    LoopLocalChecks.Loop loop = LoopLocalChecks.register();
    try {
      Promise<AccessGrant> slow = Promise.promise(); // e.g. its write of a last-minute access waits on a row lock
      assertThat(loop.track(slow, 0)).isTrue();
      for (int i = 1; i <= LoopLocalChecks.MAX_PENDING; i++) {
        Promise<AccessGrant> quick = Promise.promise();
        assertThat(loop.track(quick, i)).as("check %d, with only the slow one still waiting", i).isTrue();
        quick.complete(new AccessGrant(java.util.UUID.randomUUID(), null, "Acme"));
        if (i % 1_000 == 0) {
          loop.expire(i); // the loop's timer ticks meanwhile (nothing is overdue yet)
        }
      }
      assertThat(loop.waiting()).isEqualTo(1);
      assertThat(slow.future().isComplete()).isFalse();
    } finally {
      LoopLocalChecks.unregister(Thread.currentThread(), loop);
    }
  }
}
