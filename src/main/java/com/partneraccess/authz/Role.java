package com.partneraccess.authz;

/**
 * The kinds of caller the permission table knows. A partner "with access" is one whose account-scoped
 * token passed the access check on this request (R7, R14); a partner whose check fails never reaches the
 * table: the check refuses it first with ACCESS_DISABLED, ACCESS_EXPIRED or NOT_CONNECTED.
 */
public enum Role {
  OWNER, ADMIN, STAFF,
  /** A partner user acting inside a customer account (R9: business owner minus the owner-only areas). */
  PARTNER_IN_ACCOUNT,
  /** A partner user in its own portal (Customers, invites, badges, commission); a member of its team (R28). */
  PARTNER,
  /**
   * R28: an admin of a partner organisation in its portal: whatever {@link #PARTNER} may do there (the table adds it
   * wherever PARTNER is allowed), and manage the team.
   */
  PARTNER_ADMIN,
  ANONYMOUS;

  public boolean isCustomerUser() {
    return this == OWNER || this == ADMIN || this == STAFF;
  }

  /** The role of a customer user as stored in {@code users.role}. */
  public static Role ofCustomerRole(String role) {
    return switch (role == null ? "" : role) {
      case "owner" -> OWNER;
      case "admin" -> ADMIN;
      default -> STAFF;
    };
  }

  /**
   * The role a signed-in principal has in the partner portal (customers get PARTNER_ONLY there). A partner's role is
   * the one its token was issued with; the team's own operations and the member scope read the stored one (R28).
   */
  public static Role of(Principal p) {
    if (p == null) {
      return ANONYMOUS;
    }
    if (p.isPartner()) {
      if (p.isAccountScopedPartner()) {
        return PARTNER_IN_ACCOUNT;
      }
      return ofPartnerRole(p.role());
    }
    return ofCustomerRole(p.role());
  }

  /** R28: a partner user's role in its organisation ({@code users.partner_role}) as a caller kind of the portal. */
  public static Role ofPartnerRole(String partnerRole) {
    return "admin".equals(partnerRole) ? PARTNER_ADMIN : PARTNER;
  }
}
