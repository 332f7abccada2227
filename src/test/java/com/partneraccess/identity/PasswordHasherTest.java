package com.partneraccess.identity;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Password hashing costs the same for unknown e-mails and is bounded")
class PasswordHasherTest {
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  @DisplayName("An unknown e-mail is checked against a dummy hash of the configured cost, which never matches")
  void dummyHashHasTheConfiguredCost() {
    for (int cost : new int[] {4, 10, 12}) {
      String dummy = PasswordHasher.dummyHash(cost);
      assertThat(dummy).startsWith(String.format("$2a$%02d$", cost)).hasSize(60);
    }
    PasswordHasher hasher = new PasswordHasher(vertx, 10, 2, 4);
    assertThat(hasher.dummyHash()).startsWith("$2a$10$");
    assertThat(hasher.verify("password-123", null).await()).isFalse();
  }

  @Test
  @DisplayName("Checking a password for an unknown e-mail takes as long as for a known one (cost 10)")
  void sameTimeBothWays() {
    PasswordHasher hasher = new PasswordHasher(vertx, 10, 1, 4);
    String stored = BCrypt.withDefaults().hashToString(10, "password-123".toCharArray());
    hasher.verify("warm-up", stored).await();
    hasher.verify("warm-up", null).await();
    long known = Long.MAX_VALUE;
    long unknown = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      hasher.verify("wrong-password", stored).await();
      long t1 = System.nanoTime();
      hasher.verify("wrong-password", null).await();
      long t2 = System.nanoTime();
      known = Math.min(known, t1 - t0);
      unknown = Math.min(unknown, t2 - t1);
    }
    assertThat((double) unknown / known).as("unknown %d ns, known %d ns", unknown, known).isBetween(0.6, 1.6);
  }

  @Test
  @DisplayName("Beyond the threads and the queue, hashing is refused at once with 503 and Retry-After")
  void boundedConcurrency() {
    PasswordHasher hasher = new PasswordHasher(vertx, 10, 1, 2);
    List<Future<Boolean>> all = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      all.add(hasher.verify("password-" + i, null));
    }
    int refused = 0;
    for (Future<Boolean> f : all) {
      try {
        f.await();
      } catch (DomainException e) {
        assertThat(e.problem()).isEqualTo(Problem.UNAVAILABLE);
        assertThat(e.problem().status).isEqualTo(503);
        assertThat(e.retryAfterSeconds()).isPositive();
        refused++;
      }
    }
    assertThat(refused).isEqualTo(9);
    // once they are done, hashing is accepted again
    assertThat(hasher.verify("password-again", null).await()).isFalse();
  }
}
