package com.partneraccess.notifications;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every kind of notification (R27, R31): who receives it, its wording, the page it links to and the defaults of
 * each user's choices. The wording is a {@code format()} pattern PostgreSQL fills inside the change's transaction
 * with {@code %1$s} the partner organisation's name, {@code %2$s} the account's business name, {@code %3$s} and
 * {@code %4$s} the event's own details (days left; the partner user's name and the time).
 */
public enum NotificationKind {
  // ---- to the account's owner and admins ----
  ACCESS_REQUESTED("access_requested", Audience.ACCOUNT, "A partner asks for access",
      "%1$s has requested access to your account", "/app#banners", true),
  PARTNER_DISCONNECTED("partner_disconnected", Audience.ACCOUNT, "A partner disconnected itself",
      "%1$s disconnected from your account", "/app/account/login-details", true),
  INVITE_RECEIVED("invite_received", Audience.ACCOUNT, "A partner invites you to connect",
      "%1$s invited you to connect your account", "/app/invites", false),
  /** R24: the banner's own sentence (who was invited or joined), as the detail. */
  STAFF_CHANGED_BY_PARTNER("staff_changed_by_partner", Audience.ACCOUNT, "A partner invites or adds staff",
      "%3$s", "/app/staff", false),
  /** R31: the owner is always told; an admin only when it opts in. */
  PARTNER_LOGGED_IN("partner_logged_in", Audience.ACCOUNT, "A partner logs in to your account",
      "%3$s of %1$s logged in at %4$s", "/app/account/login-details", false),
  // ---- to every user of the partner organisation ----
  REQUEST_APPROVED("request_approved", Audience.PARTNER, "Your request for access is approved",
      "%2$s approved your request for access", "/partner/customers", true),
  REQUEST_DENIED("request_denied", Audience.PARTNER, "Your request for access is denied",
      "%2$s denied your request for access", "/partner/customers", true),
  ACCESS_ENABLED("access_enabled", Audience.PARTNER, "Your access is enabled",
      "%2$s enabled your access", "/partner/customers", false),
  ACCESS_DISABLED("access_disabled", Audience.PARTNER, "Your access is disabled",
      "%2$s disabled your access", "/partner/customers", true),
  EXPIRY_WARNING("expiry_warning", Audience.PARTNER, "Your access expires soon (14, 7 and 1 days before)",
      "Your access to %2$s expires in %3$s: log in to keep it", "/partner/customers", true),
  ACCESS_EXPIRED("access_expired", Audience.PARTNER, "Your access expired",
      "Your access to %2$s expired", "/partner/customers", true),
  DISCONNECTED("disconnected", Audience.PARTNER, "A customer disconnected you",
      "%2$s disconnected you", "/partner/customers", true),
  INVITE_ACCEPTED("invite_accepted", Audience.PARTNER, "A customer accepted your invitation",
      "%2$s accepted your invitation; your access is enabled", "/partner/customers", false),
  INVITE_DECLINED("invite_declined", Audience.PARTNER, "A customer declined your invitation",
      "%2$s declined your invitation", "/partner/customers", false);

  /** Who receives a kind: the account's owner and admins, or every user of the partner organisation. */
  public enum Audience { ACCOUNT, PARTNER }

  public final String code;
  public final Audience audience;
  /** What the preferences page calls it. */
  public final String label;
  final String pattern;
  final String link;
  /** E-mailed unless the user chose otherwise: the events that matter when nobody is looking. */
  public final boolean emailByDefault;

  NotificationKind(String code, Audience audience, String label, String pattern, String link, boolean emailByDefault) {
    this.code = code;
    this.audience = audience;
    this.label = label;
    this.pattern = pattern;
    this.link = link;
    this.emailByDefault = emailByDefault;
  }

  /** R31: whether being told at all is the user's choice (admins opt in to login alerts; the owner cannot opt out). */
  public boolean toldByChoice(String role) {
    return this == PARTNER_LOGGED_IN && !"owner".equals(role);
  }

  /** Whether a user who never chose is told: yes, except admins for login alerts (R31: they opt in). */
  public boolean toldByDefault(String role) {
    return !toldByChoice(role);
  }

  /** The kinds a user of this kind and role can receive (staff: none). */
  public static List<NotificationKind> forUser(boolean partner, String role) {
    if (!partner && !"owner".equals(role) && !"admin".equals(role)) {
      return List.of();
    }
    Audience audience = partner ? Audience.PARTNER : Audience.ACCOUNT;
    return Arrays.stream(values()).filter(k -> k.audience == audience).toList();
  }

  public static Optional<NotificationKind> of(String code) {
    return Arrays.stream(values()).filter(k -> k.code.equals(code)).findFirst();
  }
}
