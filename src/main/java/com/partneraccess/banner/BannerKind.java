package com.partneraccess.banner;

/** The banners the service raises, and who sees them (R16, R17). */
public enum BannerKind {
  ACCESS_REQUESTED("access_requested", Audience.ACCOUNT),
  PARTNER_DISCONNECTED("partner_disconnected", Audience.ACCOUNT),
  /** R24: a partner invited staff, or one it invited joined; the owner should confirm them. */
  STAFF_CHANGED_BY_PARTNER("staff_changed_by_partner", Audience.ACCOUNT),
  /** R30: an access review is waiting for the owner (concerns no single partner). */
  ACCESS_REVIEW("access_review", Audience.ACCOUNT),
  REQUEST_APPROVED("request_approved", Audience.PARTNER),
  REQUEST_DENIED("request_denied", Audience.PARTNER),
  ACCESS_ENABLED("access_enabled", Audience.PARTNER),
  ACCESS_DISABLED("access_disabled", Audience.PARTNER),
  ACCESS_EXPIRED("access_expired", Audience.PARTNER),
  DISCONNECTED("disconnected", Audience.PARTNER),
  EXPIRY_WARNING("expiry_warning", Audience.PARTNER);

  public enum Audience { ACCOUNT, PARTNER }

  public final String code;
  public final Audience audience;

  BannerKind(String code, Audience audience) {
    this.code = code;
    this.audience = audience;
  }
}
