package com.partneraccess.identity;

import com.partneraccess.authz.Principal;
import com.partneraccess.bus.Problem;
import com.partneraccess.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Issues and verifies HS256 JWTs with issuer, audience and expiry checked (Vert.x Auth JWT). Unsigned
 * ({@code alg: none}) or foreign-key tokens fail verification. Token expiry uses real time, not the test
 * clock, so moving the test clock does not sign anyone out.
 *
 * <p>R26: a token has exactly one spelling. JWT segments are base64url without padding, and a decoder that ignores
 * the unused low bits of the last character, or a trailing {@code =}, would accept several spellings of one signed
 * token; only the canonical one (the one re-encoding its bytes gives) is accepted. Sign-out is keyed on the token's
 * {@code jti} ({@link #revocationKey}), so no spelling outlives it either way.
 *
 * <p>Verified tokens are remembered ({@link #VERIFIED_MAX} per instance, keyed by their exact text): presenting the
 * same text again skips the signature, the JSON and the hashes, which were most of a request's CPU, and still checks
 * on every request what can change after verification: the expiry, sign-out of the token and the end of the user's
 * sessions. Another spelling of a token is another key, so it goes through the full check (and is refused).
 */
public final class TokenService {
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
  private static final Base64.Decoder B64 = Base64.getUrlDecoder();
  private static final Base64.Encoder B64_OUT = Base64.getUrlEncoder().withoutPadding();

  /** The claim with the issuing time in epoch milliseconds ({@link #endSessionsOf} compares it). */
  static final String ISSUED_MILLIS = "iat_ms";
  /** At most this many verified tokens are remembered; when full, the memory is emptied and refilled. */
  static final int VERIFIED_MAX = 4_096;

  private final JWTAuth jwt;
  private final AppConfig.Auth auth;
  private final RevokedTokens revoked;
  private final LongSupplier nowMillis;
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  /** What verifying a token's text gave, and what must still be checked on each use. */
  private record Verified(Principal principal, long expiresMillis, long issuedMillis, String jtiKey, String textKey) {}

  public TokenService(Vertx vertx, AppConfig.Auth auth) {
    this(vertx, auth, System::currentTimeMillis);
  }

  /** With the real-time clock used for the expiry of remembered tokens (tests move it). */
  TokenService(Vertx vertx, AppConfig.Auth auth, LongSupplier nowMillis) {
    this.auth = auth;
    this.nowMillis = nowMillis;
    this.revoked = new RevokedTokens(vertx);
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(auth.jwtSecret()))
        .setJWTOptions(new JWTOptions().setIssuer(auth.issuer()).setAudience(List.of(auth.audience()))));
  }

  public int tokenSeconds() {
    return auth.tokenMinutes() * 60;
  }

  public String issue(Principal p) {
    JsonObject claims = new JsonObject()
        .put("sub", p.userId().toString())
        .put("kind", p.kind() == Principal.Kind.CUSTOMER ? "customer" : "partner")
        .put("name", p.name())
        .put("jti", UUID.randomUUID().toString()) // every token distinct, so signing one out never ends another
        .put(ISSUED_MILLIS, System.currentTimeMillis()); // finer than iat: a reset ends the sessions issued before it
    if (p.accountId() != null) {
      claims.put("acct", p.accountId().toString());
    }
    if (p.role() != null) {
      claims.put("role", p.role());
    }
    if (p.partnerId() != null) {
      claims.put("pid", p.partnerId().toString());
    }
    if (p.organisation() != null) {
      claims.put("org", p.organisation());
    }
    return jwt.generateToken(claims, new JWTOptions()
        .setAlgorithm("HS256")
        .setIssuer(auth.issuer())
        .setAudience(List.of(auth.audience()))
        .setExpiresInSeconds(tokenSeconds()));
  }

  /** Ends a token (signing out): it is refused from now on, on every instance, whatever its spelling. */
  public Future<Void> revoke(Pool pool, String token) {
    if (!canonical(token)) {
      return Future.succeededFuture(); // never accepted, so nothing to end
    }
    return jwt.authenticate(new TokenCredentials(token))
        .compose(user -> revoked.revoke(pool, revocationKey(token), expiry(user)),
            err -> Future.succeededFuture()); // an invalid token needs no revoking
  }

  /**
   * What sign-out records for a token: the SHA-256 of its {@code jti} (every token this service issues has one);
   * for a token without one, the SHA-256 of its canonical text. Read from the payload without verifying it: call
   * it for tokens that {@link #verify} accepted.
   */
  public String revocationKey(String token) {
    try {
      String payload = token.split("\\.")[1];
      String jti = new JsonObject(new String(B64.decode(payload), StandardCharsets.UTF_8)).getString("jti");
      if (jti != null && !jti.isBlank()) {
        return Sha256.hex("jti:" + jti);
      }
    } catch (RuntimeException notJson) {
      // fall through: the text itself
    }
    return Sha256.hex(token);
  }

  /**
   * The revocation key that ends the sessions of one user issued before a moment: a password reset or change
   * ({@link #endSessionsOf}) or a teammate's removal (R28, {@link #revokeUser}). Sockets of the user carry it too, so
   * they close when it is revoked.
   */
  public static String userKey(UUID userId) {
    return "user:" + userId;
  }

  /**
   * Ends every session of a user issued until now, on every instance, through the sign-out mechanism of R26: one
   * revocation keyed {@link #userKey} whose expiry is now plus the token lifetime, so the cut-off is that expiry minus
   * the lifetime, and the entry leaves once every token it ends has expired anyway. Tokens issued afterwards (the
   * next sign-in) are not affected.
   */
  public Future<Void> endSessionsOf(Pool pool, UUID userId) {
    return revoked.revoke(pool, userKey(userId), Instant.now().plusSeconds(tokenSeconds()));
  }

  /**
   * R28: the same inside the caller's transaction (a removal and its revocation commit together; the NOTIFY reaches
   * every instance on commit). Call {@link #userRevoked} once it has committed, so this process refuses the tokens
   * without waiting for its own notification.
   */
  public Future<Instant> revokeUser(SqlClient tx, UUID userId) {
    Instant until = Instant.now().plusSeconds(tokenSeconds());
    return revoked.revokeIn(tx, userKey(userId), until).map(until);
  }

  /** The removal committed: refuse the user's tokens here at once (and close their sockets). */
  public void userRevoked(UUID userId, Instant until) {
    revoked.remember(userKey(userId) + ":" + until.toEpochMilli());
  }

  /** Whether the user's sessions were ended after this token was issued. */
  private boolean endedByUser(long issuedMillis, UUID userId) {
    Long until = revoked.until(userKey(userId));
    return until != null && issuedMillis < until - tokenSeconds() * 1000L;
  }

  private static long issuedMillis(JsonObject claims) {
    Long issued = claims.getLong(ISSUED_MILLIS);
    return issued != null ? issued : claims.getLong("iat", 0L) * 1000L;
  }

  /** Whether sign-out ended the token with this key (no I/O). */
  public boolean isRevokedKey(String key) {
    return revoked.isRevoked(key);
  }

  /** When a verified token expires; at the latest the configured lifetime from now. */
  private Instant expiry(io.vertx.ext.auth.User user) {
    Long exp = user.attributes().getLong("exp");
    if (exp == null && user.attributes().getJsonObject("accessToken") != null) {
      exp = user.attributes().getJsonObject("accessToken").getLong("exp");
    }
    return exp != null ? Instant.ofEpochSecond(exp) : Instant.now().plusSeconds(tokenSeconds());
  }

  /**
   * Three base64url segments, each exactly as re-encoding its bytes spells it: no padding, no characters outside
   * the alphabet, no length that no byte string has, and no set bits past the last byte.
   */
  static boolean canonical(String token) {
    if (token == null || token.length() > 8192 || !SHAPE.matcher(token).matches()) {
      return false;
    }
    for (String segment : token.split("\\.")) {
      try {
        if (!B64_OUT.encodeToString(B64.decode(segment)).equals(segment)) {
          return false;
        }
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return true;
  }

  public Future<Principal> verify(String token) {
    Verified known = token == null ? null : verified.get(token);
    if (known != null) {
      if (known.expiresMillis() <= nowMillis.getAsLong()) {
        verified.remove(token);
        return Future.failedFuture(Problem.TOKEN_INVALID.exception());
      }
      return admit(known);
    }
    if (!canonical(token)) {
      return Future.failedFuture(Problem.TOKEN_INVALID.exception());
    }
    // the second check: revocations recorded by the text's hash before sign-out was keyed on the jti
    String jtiKey = revocationKey(token);
    String textKey = Sha256.hex(token);
    if (revoked.isRevoked(jtiKey) || revoked.isRevoked(textKey)) {
      return Future.failedFuture(signedOut());
    }
    return jwt.authenticate(new TokenCredentials(token))
        .recover(err -> Future.failedFuture(Problem.TOKEN_INVALID.exception()))
        .compose(user -> {
          try {
            JsonObject c = user.principal();
            Principal.Kind kind = "partner".equals(c.getString("kind")) ? Principal.Kind.PARTNER : Principal.Kind.CUSTOMER;
            Principal p = new Principal(UUID.fromString(c.getString("sub")), kind, uuid(c.getString("acct")),
                c.getString("role"), uuid(c.getString("pid")), c.getString("name", ""), c.getString("org"));
            if ((kind == Principal.Kind.CUSTOMER && (p.accountId() == null || p.role() == null))
                || (kind == Principal.Kind.PARTNER && p.partnerId() == null)) {
              return Future.failedFuture(Problem.TOKEN_INVALID.exception());
            }
            Verified v = new Verified(p, expiry(user).toEpochMilli(), issuedMillis(c), jtiKey, textKey);
            remember(token, v);
            return admit(v);
          } catch (RuntimeException e) {
            return Future.failedFuture(Problem.TOKEN_INVALID.exception());
          }
        });
  }

  /** What can change after a token was verified: its sign-out, and the end of its user's sessions. */
  private Future<Principal> admit(Verified v) {
    if (revoked.isRevoked(v.jtiKey()) || revoked.isRevoked(v.textKey())) {
      return Future.failedFuture(signedOut());
    }
    if (endedByUser(v.issuedMillis(), v.principal().userId())) {
      return Future.failedFuture(Problem.TOKEN_INVALID.exception(
          "This session ended (the password was changed, or the user was removed from its team); sign in again"));
    }
    return Future.succeededFuture(v.principal());
  }

  private void remember(String token, Verified v) {
    if (verified.size() >= VERIFIED_MAX) {
      verified.clear(); // bounded; the tokens still in use are verified again and come back
    }
    verified.put(token, v);
  }

  /** How many verified tokens are remembered (tests). */
  int remembered() {
    return verified.size();
  }

  private static com.partneraccess.bus.DomainException signedOut() {
    return Problem.TOKEN_INVALID.exception("This session was signed out; sign in again");
  }

  private static UUID uuid(String s) {
    return s == null ? null : UUID.fromString(s);
  }
}
