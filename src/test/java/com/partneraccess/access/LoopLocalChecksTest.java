package com.partneraccess.access;

import com.partneraccess.bus.Addresses;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access check stays on the caller's event loop: consumers deployed one per loop each register an address for
 * their loop, and a caller on a loop is routed to that loop's; a caller elsewhere, or after the consumer stopped,
 * uses the shared {@code rules.check}.
 */
@DisplayName("Access checks: answered on the loop that asks")
class LoopLocalChecksTest {

  /** Registers like AccessRuleVerticle does, and records its thread and address. */
  static final class Consumer extends VerticleBase {
    static final Map<Thread, String> STARTED = new ConcurrentHashMap<>();
    private Thread thread;
    private String address;

    @Override
    public Future<?> start() {
      thread = Thread.currentThread();
      address = LoopLocalChecks.register();
      STARTED.put(thread, address);
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      LoopLocalChecks.unregister(thread, address);
      return Future.succeededFuture();
    }
  }

  /** Asks, from its own loop, which address a check would go to. */
  static final class Caller extends VerticleBase {
    static final List<String[]> SEEN = new CopyOnWriteArrayList<>();

    @Override
    public Future<?> start() {
      SEEN.add(new String[] {Thread.currentThread().getName(), LoopLocalChecks.forCurrentThread()});
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
      assertThat(LoopLocalChecks.forCurrentThread()).as("the test's own thread").isEqualTo(Addresses.RULES_CHECK);
      vertx.undeploy(consumers).await();
      Caller.SEEN.clear();
      vertx.deployVerticle(Caller::new, new DeploymentOptions().setInstances(2)).await();
      assertThat(Caller.SEEN).allSatisfy(seen -> assertThat(seen[1]).isEqualTo(Addresses.RULES_CHECK));
    } finally {
      vertx.close().await();
    }
  }
}
