package com.partneraccess.identity;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.partneraccess.bus.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.shareddata.Shareable;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * bcrypt password hashes, computed on worker threads so no event loop waits for them. bcrypt reads at most
 * {@value #MAX_BYTES} bytes of a password, so a longer one is refused here ({@link #check}), for every route and
 * page that takes a password, before bcrypt would throw.
 *
 * <p>Hashing is bounded per process: at most {@code limits.hashThreads} hashes run at once (a shared worker pool of
 * that size, so the event loops keep a core), and at most {@code limits.hashQueue} more wait; a request beyond that
 * is refused at once with 503 and {@code Retry-After: 1} instead of slowing every other request down. An unknown
 * e-mail is checked against a dummy hash of the configured cost, so it takes as long as a known one.
 */
public final class PasswordHasher {
  /** bcrypt's limit, in UTF-8 bytes. */
  public static final int MAX_BYTES = 72;
  static final String POOL_NAME = "password-hashing";

  private final Vertx vertx;
  private final int cost;
  private final WorkerExecutor workers;
  private final InFlight inFlight;
  private final int maxInFlight;
  private final String dummyHash;

  public PasswordHasher(Vertx vertx, int cost, int threads, int queue) {
    this.vertx = vertx;
    this.cost = cost;
    this.workers = vertx.createSharedWorkerExecutor(POOL_NAME, Math.max(1, threads));
    this.inFlight = (InFlight) vertx.sharedData().getLocalMap(POOL_NAME).computeIfAbsent("inFlight", k -> new InFlight());
    this.maxInFlight = Math.max(1, threads) + Math.max(0, queue);
    this.dummyHash = dummyHash(cost);
  }

  /** The process-wide count of hashes running or waiting (shared by every HTTP verticle of the process). */
  static final class InFlight extends AtomicInteger implements Shareable {}

  /** Refuses (400) a missing password or one bcrypt cannot take whole. */
  public static void check(String password) {
    if (password == null) {
      throw Problem.VALIDATION_FAILED.exception("A password is required");
    }
    int bytes = password.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      throw Problem.VALIDATION_FAILED.exception("The password is too long: at most " + MAX_BYTES
          + " bytes (72 plain letters or digits; accented letters and emoji take 2 to 4 bytes each), this one has " + bytes);
    }
  }

  public Future<String> hash(String password) {
    try {
      check(password);
    } catch (RuntimeException refused) {
      return Future.failedFuture(refused);
    }
    return bounded(() -> BCrypt.withDefaults().hashToString(cost, password.toCharArray()));
  }

  public Future<Boolean> verify(String password, String hash) {
    try {
      check(password); // no stored password is longer, so this costs nobody a valid sign-in
    } catch (RuntimeException refused) {
      return Future.failedFuture(refused);
    }
    String against = hash == null ? dummyHash : hash;
    return bounded(() -> BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
        against.getBytes(StandardCharsets.UTF_8)).verified && hash != null);
  }

  /** The dummy hash an unknown e-mail is checked against: a random salt and digest at the configured cost. */
  String dummyHash() {
    return dummyHash;
  }

  private <T> Future<T> bounded(Callable<T> work) {
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      return Future.failedFuture(Problem.UNAVAILABLE.exception(
          "Too many sign-ins and password changes at once; try again in a second", 1));
    }
    return workers.executeBlocking(work, false).andThen(ar -> inFlight.decrementAndGet());
  }

  /**
   * "$2a$" + cost + "$" + 53 characters of bcrypt's base64 (22 of salt, 31 of digest): checking a password against
   * it costs a full bcrypt at that cost and never matches. The last character of the salt carries 2 bits and that
   * of the digest 4, so each is one whose unused low bits are zero (a strict decoder accepts it).
   */
  static String dummyHash(int cost) {
    String alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom random = new SecureRandom();
    StringBuilder s = new StringBuilder(String.format("$2a$%02d$", cost));
    for (int i = 0; i < 21; i++) {
      s.append(alphabet.charAt(random.nextInt(64)));
    }
    s.append(alphabet.charAt(random.nextInt(4) * 16));
    for (int i = 0; i < 30; i++) {
      s.append(alphabet.charAt(random.nextInt(64)));
    }
    s.append(alphabet.charAt(random.nextInt(16) * 4));
    return s.toString();
  }
}
