package com.partneraccess.security;

import com.partneraccess.support.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;

/**
 * Hand-made JWTs for security tests: validly signed ones with the test secret (to act as a principal the API
 * never issued, e.g. a partner scoped to an account it is not connected to), and broken ones (wrong secret,
 * expired, unsigned {@code alg: none}, wrong issuer).
 */
public final class TestTokens {
  public static final String ISSUER = "partner-access";

  private TestTokens() {}

  /** The claims of an account-scoped partner token, valid for an hour. */
  public static JsonObject partnerClaims(String userId, String partnerId, String accountId, String name) {
    long now = Instant.now().getEpochSecond();
    JsonObject c = new JsonObject().put("sub", userId).put("kind", "partner").put("pid", partnerId).put("name", name)
        .put("iss", ISSUER).put("aud", new JsonArray().add(ISSUER)).put("iat", now).put("exp", now + 3600);
    if (accountId != null) {
      c.put("acct", accountId);
    }
    return c;
  }

  /** The claims of a customer user's token, valid for an hour. */
  public static JsonObject customerClaims(String userId, String accountId, String role) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("sub", userId).put("kind", "customer").put("acct", accountId).put("role", role)
        .put("name", "Someone").put("iss", ISSUER).put("aud", new JsonArray().add(ISSUER)).put("iat", now)
        .put("exp", now + 3600);
  }

  /** Signs {@code claims} with HS256 and the service's test secret. */
  public static String signed(JsonObject claims) {
    return hs256(TestApp.JWT_SECRET, claims);
  }

  public static String hs256(String secret, JsonObject claims) {
    String signingInput = part(new JsonObject().put("alg", "HS256").put("typ", "JWT")) + "." + part(claims);
    return signingInput + "." + b64(hmac(secret, signingInput));
  }

  /** An unsigned token: {@code alg: none} and an empty signature. */
  public static String unsigned(JsonObject claims) {
    return part(new JsonObject().put("alg", "none").put("typ", "JWT")) + "." + part(claims) + ".";
  }

  /** Replaces the payload of a signed token, keeping its header and signature (a tampered token). */
  public static String withPayload(String token, JsonObject claims) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + part(claims) + "." + parts[2];
  }

  /** The payload of a JWT, decoded. */
  public static JsonObject payload(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  private static String part(JsonObject json) {
    return b64(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] hmac(String secret, String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
