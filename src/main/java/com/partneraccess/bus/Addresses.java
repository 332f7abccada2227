package com.partneraccess.bus;

/** Every event-bus address of the service, in one place. The README lists them with their payloads. */
public final class Addresses {
  private Addresses() {}

  /** Request/reply: the access check of a partner's account-scoped request (AccessRuleVerticle). */
  public static final String RULES_CHECK = "rules.check";
  /** Publish: a connection's access changed (enabled, disabled, expired, disconnected); touch buffers drop it. */
  public static final String ACCESS_CHANGED = "access.changed";
  /** Publish: a banner was stored and committed; the banner verticle delivers it to open sockets. */
  public static final String BANNERS_RAISED = "banners.raised";
  /** Publish: the expiry sweep expired a connection. */
  public static final String EXPIRY_EXPIRED = "expiry.expired";
  /** Request/reply: run one expiry sweep now (tests, operators). */
  public static final String EXPIRY_SWEEP = "expiry.sweep";
}
