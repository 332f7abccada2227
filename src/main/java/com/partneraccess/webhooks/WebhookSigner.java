package com.partneraccess.webhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * R33: the signature of a webhook request. {@code X-Webhook-Signature: v1=<hex HMAC-SHA256>} over
 * {@code <X-Webhook-Timestamp> + "." + <body bytes>} with the subscription's secret; the receiver recomputes it, compares
 * in constant time and refuses timestamps too far from its clock (replays). See README "R33".
 */
public final class WebhookSigner {
  public static final String SIGNATURE_HEADER = "X-Webhook-Signature";
  public static final String TIMESTAMP_HEADER = "X-Webhook-Timestamp";
  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSigner() {}

  /** A new secret: 32 random bytes, base64url, prefixed so it is recognisable in a leak scan. */
  public static String newSecret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** {@code v1=<hex>} for {@code timestamp} (epoch seconds, as sent) and the exact body bytes. */
  public static String sign(String secret, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) '.');
      return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
