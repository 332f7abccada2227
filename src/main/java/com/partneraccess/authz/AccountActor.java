package com.partneraccess.authz;

import java.util.UUID;

/**
 * Who acts inside a customer account: one of its users with a role (R10), or a partner through its
 * connection (R9: the business-owner role minus the owner-only areas). What each may do is in
 * {@link Operation}; services ask {@link Permissions#require(AccountActor, Operation)}.
 */
public record AccountActor(UUID accountId, UUID userId, String role, UUID partnerId, UUID connectionId,
                           String businessName, String accountStatus) {

  public boolean isPartner() {
    return partnerId != null;
  }

  public boolean isOwner() {
    return !isPartner() && "owner".equals(role);
  }

  /** The caller kind the permission table knows. */
  public Role kind() {
    return isPartner() ? Role.PARTNER_IN_ACCOUNT : Role.ofCustomerRole(role);
  }

  public boolean may(Operation op) {
    return op.allows(kind());
  }
}
