package com.partneraccess.accounts;

import com.partneraccess.bus.Problem;

import java.util.UUID;

/**
 * Who acts inside a customer account: one of its users with a role (R10), or a partner through its
 * connection (R9: the business-owner role minus the owner-only areas).
 */
public record AccountActor(UUID accountId, UUID userId, String role, UUID partnerId, UUID connectionId,
                           String businessName, String accountStatus) {

  public boolean isPartner() {
    return partnerId != null;
  }

  public boolean isOwner() {
    return !isPartner() && "owner".equals(role);
  }

  /** Everything the business-owner role may do: owner, admin and a partner with access (R9). */
  public void requireManage() {
    if (!isPartner() && "staff".equals(role)) {
      throw Problem.ROLE_FORBIDDEN.exception("Your role (staff) does not allow this; ask an owner or admin");
    }
  }

  /** Decisions about partners belong to the customer's own owner and admins (R7, R16, R18). */
  public void requireCustomerManager() {
    if (isPartner()) {
      throw Problem.CUSTOMER_ONLY.exception("Only the customer's owner or admins can do this");
    }
    requireManage();
  }

  /** R9/R2/R23: owner changes, activity history, subscription, cancelling, accepting partner invites. */
  public void requireOwner() {
    if (!isOwner()) {
      throw Problem.OWNER_ONLY.exception("Only the account owner can do this"
          + (isPartner() ? " (partners never can)" : ""));
    }
  }
}
