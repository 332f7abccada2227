package com.partneraccess.identity;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.partneraccess.bus.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;

/**
 * bcrypt password hashes, computed on a worker thread so no event loop waits for them. bcrypt reads at most
 * {@value #MAX_BYTES} bytes of a password, so a longer one is refused here ({@link #check}), for every route and
 * page that takes a password, before bcrypt would throw.
 */
public final class PasswordHasher {
  /** bcrypt's limit, in UTF-8 bytes. */
  public static final int MAX_BYTES = 72;

  /** A hash of a random password, checked when the email is unknown so both paths cost the same. */
  private static final String DUMMY_HASH = "$2a$04$abcdefghijklmnopqrstuu5xR6fCsS9o8lRAXGEU3dW8vWJsDvS7u";

  private final Vertx vertx;
  private final int cost;

  public PasswordHasher(Vertx vertx, int cost) {
    this.vertx = vertx;
    this.cost = cost;
  }

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
    return vertx.executeBlocking(() -> BCrypt.withDefaults().hashToString(cost, password.toCharArray()), false);
  }

  public Future<Boolean> verify(String password, String hash) {
    try {
      check(password); // no stored password is longer, so this costs nobody a valid sign-in
    } catch (RuntimeException refused) {
      return Future.failedFuture(refused);
    }
    String against = hash == null ? DUMMY_HASH : hash;
    return vertx.executeBlocking(() -> BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
        against.getBytes(StandardCharsets.UTF_8)).verified && hash != null, false);
  }
}
