package com.partneraccess.authz;

import java.util.UUID;

/**
 * Who acts inside a customer account: one of its users with a role (R10), or a partner through its
 * connection (R9: the business-owner role minus the owner-only areas). What each may do is in
 * {@link Operation}; services ask {@link Permissions#require(AccountActor, Operation)}. A user a partner added
 * and the owner has not confirmed yet ({@code awaitingConfirmation}, R24) is plain staff whatever else holds.
 */
public record AccountActor(UUID accountId, UUID userId, String role, UUID partnerId, UUID connectionId,
                           String businessName, String accountStatus, boolean awaitingConfirmation) {

  public AccountActor(UUID accountId, UUID userId, String role, UUID partnerId, UUID connectionId,
                      String businessName, String accountStatus) {
    this(accountId, userId, role, partnerId, connectionId, businessName, accountStatus, false);
  }

  public boolean isPartner() {
    return partnerId != null;
  }

  public boolean isOwner() {
    return !isPartner() && !awaitingConfirmation && "owner".equals(role);
  }

  /** The caller kind the permission table knows. */
  public Role kind() {
    if (isPartner()) {
      return Role.PARTNER_IN_ACCOUNT;
    }
    return awaitingConfirmation ? Role.STAFF : Role.ofCustomerRole(role);
  }

  public boolean cancelled() {
    return "cancelled".equals(accountStatus);
  }

  public boolean may(Operation op) {
    return op.allows(kind());
  }
}
