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

  static String requestedActivity(String partnerName, GrantLength length, String reason) {
    return partnerName + " requested access " + length.phrase() + " (reason: " + reason + ")";
  }

  static String decidedActivity(boolean approve, String partnerName, GrantLength granted) {
    return approve ? "Approved the access request of " + partnerName + " " + granted.phrase()
        : "Denied the access request of " + partnerName;
  }

  static String disconnectedActivity(boolean byCustomer, String partnerName, String reason) {
    return (byCustomer ? "Disconnected partner " + partnerName : partnerName + " disconnected")
        + (reason == null ? "" : " (reason: " + reason + ")");
  }

  // ---- banners ----

  static String accessSetBanner(boolean enable, String businessName) {
    return businessName + (enable ? " enabled your access" : " disabled your access");
  }

  /** R29: the owner's banner shows the length asked for and the reason. */
  static String requestedBanner(String partnerName, GrantLength length, String reason) {
    return partnerName + " has requested access to your account " + length.phrase() + ". Reason: " + reason;
  }

  static String decidedBanner(boolean approve, String businessName, GrantLength granted) {
    return approve ? businessName + " approved your access request " + granted.phrase()
        : businessName + " denied your access request";
  }

  /** R29: why access ended, as the partner's Customers page says it. */
  static String grantEnded(Integer days, String approverName) {
    return "the " + days + "-day grant approved by " + (approverName == null ? "the customer" : approverName) + " ended";
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
