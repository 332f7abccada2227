package com.partneraccess.bus;

import java.util.UUID;

/** Every event-bus address of the service, in one place. The README lists them with their payloads. */
public final class Addresses {
  private Addresses() {}

  /** Request/reply: the access check of a partner's account-scoped request (AccessRuleVerticle). */
  public static final String RULES_CHECK = "rules.check";
  /** Request/reply: run one expiry sweep now (tests, operators); replies {@code {expired, warned}}. */
  public static final String EXPIRY_SWEEP = "expiry.sweep";
  /** R30: run the access-review timer now (create due reviews, lapse overdue ones); replies {created, lapsed}. */
  public static final String REVIEWS_SWEEP = "reviews.sweep";
  /**
   * Publish (local, from RevokedTokens): a token was signed out, here or (via PostgreSQL channel
   * {@code revoked_tokens}) on another instance; the body is its revocation key. Open sockets of it close (R26).
   */
  public static final String TOKEN_REVOKED = "identity.token.revoked";
  /** Publish prefix + account id: account-audience banners for that account's owner/admin sockets. */
  public static final String LIVE_ACCOUNT_PREFIX = "live.account.";
  /** Publish prefix + partner id: partner-audience banners and the partner's access changes, for its sockets. */
  public static final String LIVE_PARTNER_PREFIX = "live.partner.";

  public static String liveAccount(UUID accountId) {
    return LIVE_ACCOUNT_PREFIX + accountId;
  }

  public static String livePartner(UUID partnerId) {
    return LIVE_PARTNER_PREFIX + partnerId;
  }
}
