package com.partneraccess.connections;

import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;

/**
 * The English of connection changes: the activity-history summaries (R23), the banners (R17) and the
 * refusals. Kept apart from the SQL and the orchestration so a change of wording touches one file.
 */
final class ConnectionTexts {
  private ConnectionTexts() {}

  // ---- activity history (the customer reads these) ----

  static String accessSetActivity(boolean enable, String partnerName) {
    return (enable ? "Enabled" : "Disabled") + " access for partner " + partnerName;
  }

  static String withdrawnActivity(String partnerName) {
    return partnerName + " withdrew its request for access";
  }

  static String requestedActivity(String partnerName) {
    return partnerName + " requested access";
  }

  static String decidedActivity(boolean approve, String partnerName) {
    return (approve ? "Approved" : "Denied") + " the access request of " + partnerName;
  }

  static String disconnectedActivity(boolean byCustomer, String partnerName, String reason) {
    return (byCustomer ? "Disconnected partner " + partnerName : partnerName + " disconnected")
        + (reason == null ? "" : " (reason: " + reason + ")");
  }

  // ---- banners ----

  static String accessSetBanner(boolean enable, String businessName) {
    return businessName + (enable ? " enabled your access" : " disabled your access");
  }

  static String requestedBanner(String partnerName) {
    return partnerName + " has requested access to your account";
  }

  static String decidedBanner(boolean approve, String businessName) {
    return businessName + (approve ? " approved" : " denied") + " your access request";
  }

  /** To the partner, when the customer disconnected it. */
  static String disconnectedByCustomerBanner(String businessName, String reason) {
    return businessName + " disconnected you" + (reason == null ? "" : ": " + reason);
  }

  /** To the customer, when the partner disconnected itself. */
  static String disconnectedByPartnerBanner(String partnerName) {
    return partnerName + " disconnected from your account";
  }

  // ---- refusals ----

  static DomainException notConnected() {
    return Problem.NOT_CONNECTED.exception("This partner is not connected to the account");
  }

  static DomainException accountCancelled(String businessName) {
    return Problem.ACCOUNT_CANCELLED.exception(businessName + " cancelled its account; there is nothing to request access to");
  }

  static DomainException alreadyEnabled(String businessName) {
    return Problem.ACCESS_ALREADY_ENABLED.exception("Your access to " + businessName + " is enabled: use Log in");
  }

  static DomainException noSuchRequest() {
    return Problem.NOT_FOUND.exception("No such access request");
  }

  static DomainException noLongerConnected() {
    return Problem.REQUEST_NOT_PENDING.exception("The partner is no longer connected; the request was cancelled");
  }

  static DomainException alreadyDecided(String status) {
    return Problem.REQUEST_NOT_PENDING.exception("The access request was already " + status);
  }
}
