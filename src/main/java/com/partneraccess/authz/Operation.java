package com.partneraccess.authz;

import java.util.EnumSet;
import java.util.Set;

import static com.partneraccess.authz.Role.ADMIN;
import static com.partneraccess.authz.Role.OWNER;
import static com.partneraccess.authz.Role.PARTNER;
import static com.partneraccess.authz.Role.PARTNER_ADMIN;
import static com.partneraccess.authz.Role.PARTNER_IN_ACCOUNT;
import static com.partneraccess.authz.Role.STAFF;

/**
 * THE table of who may do what: every operation of the service with the caller kinds allowed to do it.
 * Feature services consult it through {@link Permissions}; the authorization matrix test is generated
 * from it (API routes, pages and portal routes). Changing a permission means changing one line here.
 */
public enum Operation {
  // Inside a customer account (R9, R10): owner, admin, staff and a partner with access.
  VIEW_ACCOUNT(Scope.ACCOUNT, OWNER, ADMIN, STAFF, PARTNER_IN_ACCOUNT),
  LIST_JOBS(Scope.ACCOUNT, OWNER, ADMIN, STAFF, PARTNER_IN_ACCOUNT),
  CREATE_JOBS(Scope.ACCOUNT, OWNER, ADMIN, STAFF, PARTNER_IN_ACCOUNT),
  LIST_STAFF(Scope.ACCOUNT, OWNER, ADMIN, STAFF, PARTNER_IN_ACCOUNT),
  /**
   * R9: adding users is part of the business-owner role, which a partner with access has; R24: a partner only
   * invites staff by e-mail, and they follow its access until the owner confirms them (CONFIRM_STAFF).
   */
  ADD_STAFF(Scope.ACCOUNT, OWNER, ADMIN, PARTNER_IN_ACCOUNT),
  // Decisions about partners belong to the customer's own owner and admins (R7, R16, R18, R17).
  LIST_PARTNER_INVITES(Scope.ACCOUNT, OWNER, ADMIN),
  SET_PARTNER_ACCESS(Scope.ACCOUNT, OWNER, ADMIN),
  DISCONNECT_PARTNER(Scope.ACCOUNT, OWNER, ADMIN),
  LIST_ACCESS_REQUESTS(Scope.ACCOUNT, OWNER, ADMIN),
  DECIDE_ACCESS_REQUEST(Scope.ACCOUNT, OWNER, ADMIN),
  LIST_BANNERS(Scope.ACCOUNT, OWNER, ADMIN),
  DISMISS_BANNER(Scope.ACCOUNT, OWNER, ADMIN),
  // Owner only (R2, R9, R23).
  DECIDE_PARTNER_INVITE(Scope.ACCOUNT, OWNER),
  VIEW_ACTIVITY(Scope.ACCOUNT, OWNER),
  /** R32: who could access the account at a past moment, and who did; the CSV export of the activity history. */
  VIEW_ACCESS_HISTORY(Scope.ACCOUNT, OWNER),
  EXPORT_ACTIVITY(Scope.ACCOUNT, OWNER),
  // R30: the owner's access reviews (list, show, keep or disable each partner).
  VIEW_ACCESS_REVIEWS(Scope.ACCOUNT, OWNER),
  DECIDE_ACCESS_REVIEW(Scope.ACCOUNT, OWNER),
  VIEW_SUBSCRIPTION(Scope.ACCOUNT, OWNER),
  CHANGE_SUBSCRIPTION(Scope.ACCOUNT, OWNER),
  CANCEL_ACCOUNT(Scope.ACCOUNT, OWNER),
  CHANGE_OWNER(Scope.ACCOUNT, OWNER),
  /** R24: the owner confirms a user a partner added, who then no longer follows that partner's access. */
  CONFIRM_STAFF(Scope.ACCOUNT, OWNER),
  // The partner portal: any partner user, whether or not it is inside a customer account right now.
  LIST_CUSTOMERS(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  ADD_CUSTOMER(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  HAND_OVER_CUSTOMER(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  REQUEST_ACCESS(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  /** The partner takes back its pending access request (R16) before the customer answers. */
  WITHDRAW_ACCESS_REQUEST(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  LOG_IN_TO_CUSTOMER(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  DISCONNECT_CUSTOMER(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  CREATE_INVITE(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  LIST_INVITES(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  WITHDRAW_INVITE(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  RESEND_INVITE(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  VIEW_PROFILE(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  /** A partner user renames its organisation (Settings; identity/RecoveryService). */
  CHANGE_ORGANISATION(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  VIEW_COMMISSION(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  LIST_PARTNER_BANNERS(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  DISMISS_PARTNER_BANNER(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  // Every signed-in user's own notification centre and e-mail choices (R27, R31).
  VIEW_NOTIFICATIONS(Scope.SELF, OWNER, ADMIN, STAFF, PARTNER, PARTNER_IN_ACCOUNT),
  MARK_NOTIFICATIONS_READ(Scope.SELF, OWNER, ADMIN, STAFF, PARTNER, PARTNER_IN_ACCOUNT),
  SET_NOTIFICATION_PREFERENCES(Scope.SELF, OWNER, ADMIN, STAFF, PARTNER, PARTNER_IN_ACCOUNT),
  // R28: the partner organisation's team. Every teammate sees it; its admins, in the portal, change it.
  LIST_TEAM(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  INVITE_TEAMMATE(Scope.PORTAL, PARTNER_ADMIN),
  SET_TEAMMATE_ROLE(Scope.PORTAL, PARTNER_ADMIN),
  ASSIGN_CUSTOMERS(Scope.PORTAL, PARTNER_ADMIN),
  REMOVE_TEAMMATE(Scope.PORTAL, PARTNER_ADMIN),
  // The partner directory: finding and contacting a partner is the customer's own decision about partners (its owner
  // and admins, never a partner inside the account); a partner edits its own listing and reads its own leads.
  FIND_PARTNERS(Scope.ACCOUNT, OWNER, ADMIN),
  CONTACT_PARTNER(Scope.ACCOUNT, OWNER, ADMIN),
  VIEW_LISTING(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  EDIT_LISTING(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  LIST_LEADS(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT),
  HANDLE_LEAD(Scope.PORTAL, PARTNER, PARTNER_IN_ACCOUNT);

  /**
   * Where the operation happens: inside one customer account, in the partner's own portal, or on the caller's own
   * things whoever they are (their notifications).
   */
  public enum Scope { ACCOUNT, PORTAL, SELF }

  public final Scope scope;
  private final Set<Role> allowed;

  Operation(Scope scope, Role first, Role... rest) {
    this.scope = scope;
    this.allowed = EnumSet.of(first, rest);
    if (allowed.contains(PARTNER)) {
      allowed.add(PARTNER_ADMIN); // R28: a partner admin may do in the portal whatever a member may
    }
  }

  public boolean allows(Role role) {
    return allowed.contains(role);
  }

  public Set<Role> allowed() {
    return EnumSet.copyOf(allowed);
  }

  /** True when only the account owner may do it (the refusal then says so). */
  public boolean ownerOnly() {
    return allowed.equals(EnumSet.of(OWNER));
  }
}
