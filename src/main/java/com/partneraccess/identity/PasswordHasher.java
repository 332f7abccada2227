package com.partneraccess.identity;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;

/** bcrypt password hashes, computed on a worker thread so no event loop waits for them. */
public final class PasswordHasher {
  /** A hash of a random password, checked when the email is unknown so both paths cost the same. */
  private static final String DUMMY_HASH = "$2a$04$abcdefghijklmnopqrstuu5xR6fCsS9o8lRAXGEU3dW8vWJsDvS7u";

  private final Vertx vertx;
  private final int cost;

  public PasswordHasher(Vertx vertx, int cost) {
    this.vertx = vertx;
    this.cost = cost;
  }

  public Future<String> hash(String password) {
    return vertx.executeBlocking(() -> BCrypt.withDefaults().hashToString(cost, password.toCharArray()), false);
  }

  public Future<Boolean> verify(String password, String hash) {
    String against = hash == null ? DUMMY_HASH : hash;
    return vertx.executeBlocking(() -> BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
        against.getBytes(StandardCharsets.UTF_8)).verified && hash != null, false);
  }
}
