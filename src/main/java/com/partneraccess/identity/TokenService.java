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

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Issues and verifies HS256 JWTs with issuer, audience and expiry checked (Vert.x Auth JWT). Unsigned
 * ({@code alg: none}) or foreign-key tokens fail verification. Token expiry uses real time, not the test
 * clock, so moving the test clock does not sign anyone out.
 */
public final class TokenService {
  private final JWTAuth jwt;
  private final AppConfig.Auth auth;
  private final RevokedTokens revoked;

  public TokenService(Vertx vertx, AppConfig.Auth auth) {
    this.auth = auth;
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
        .put("jti", UUID.randomUUID().toString()); // every token distinct, so signing one out never ends another
    if (p.accountId() != null) {
      claims.put("acct", p.accountId().toString());
    }
    if (p.role() != null) {
      claims.put("role", p.role());
    }
    if (p.partnerId() != null) {
      claims.put("pid", p.partnerId().toString());
    }
    return jwt.generateToken(claims, new JWTOptions()
        .setAlgorithm("HS256")
        .setIssuer(auth.issuer())
        .setAudience(List.of(auth.audience()))
        .setExpiresInSeconds(tokenSeconds()));
  }

  /** Ends a token (signing out): it is refused from now on, on every instance. */
  public Future<Void> revoke(Pool pool, String token) {
    return jwt.authenticate(new TokenCredentials(token))
        .compose(user -> revoked.revoke(pool, token, expiry(user)),
            err -> Future.succeededFuture()); // an invalid token needs no revoking
  }

  /** When a verified token expires; at the latest the configured lifetime from now. */
  private Instant expiry(io.vertx.ext.auth.User user) {
    Long exp = user.attributes().getLong("exp");
    if (exp == null && user.attributes().getJsonObject("accessToken") != null) {
      exp = user.attributes().getJsonObject("accessToken").getLong("exp");
    }
    return exp != null ? Instant.ofEpochSecond(exp) : Instant.now().plusSeconds(tokenSeconds());
  }

  public Future<Principal> verify(String token) {
    if (revoked.isRevoked(token)) {
      return Future.failedFuture(Problem.TOKEN_INVALID.exception("This session was signed out; sign in again"));
    }
    return jwt.authenticate(new TokenCredentials(token))
        .recover(err -> Future.failedFuture(Problem.TOKEN_INVALID.exception()))
        .compose(user -> {
          try {
            JsonObject c = user.principal();
            Principal.Kind kind = "partner".equals(c.getString("kind")) ? Principal.Kind.PARTNER : Principal.Kind.CUSTOMER;
            Principal p = new Principal(UUID.fromString(c.getString("sub")), kind, uuid(c.getString("acct")),
                c.getString("role"), uuid(c.getString("pid")), c.getString("name", ""));
            if ((kind == Principal.Kind.CUSTOMER && (p.accountId() == null || p.role() == null))
                || (kind == Principal.Kind.PARTNER && p.partnerId() == null)) {
              return Future.failedFuture(Problem.TOKEN_INVALID.exception());
            }
            return Future.succeededFuture(p);
          } catch (RuntimeException e) {
            return Future.failedFuture(Problem.TOKEN_INVALID.exception());
          }
        });
  }

  private static UUID uuid(String s) {
    return s == null ? null : UUID.fromString(s);
  }
}
