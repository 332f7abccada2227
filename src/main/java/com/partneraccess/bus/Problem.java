package com.partneraccess.bus;

import java.util.HashMap;
import java.util.Map;

/**
 * The machine-readable reasons a request can be refused, each with an explicit int code (carried as the
 * event bus failure code) and its HTTP status. This is the one place where a reason becomes a status.
 */
public enum Problem {
  VALIDATION_FAILED(4000, 400, "The request is not valid"),
  MALFORMED_JSON(4001, 400, "The body is not valid JSON"),
  UNAUTHENTICATED(4010, 401, "Sign in first: no valid token was given"),
  INVALID_CREDENTIALS(4011, 401, "The email or password is wrong"),
  TOKEN_INVALID(4012, 401, "The token is invalid or has expired"),
  FORBIDDEN(4030, 403, "You may not do this"),
  OWNER_ONLY(4031, 403, "Only the account owner may do this"),
  ROLE_FORBIDDEN(4032, 403, "Your role does not allow this"),
  CUSTOMER_ONLY(4033, 403, "Only the customer's own users may do this"),
  ACCESS_DISABLED(4034, 403, "The customer has disabled this partner's access"),
  ACCESS_EXPIRED(4035, 403, "This partner's access expired"),
  NOT_CONNECTED(4036, 403, "This partner is not connected to the account"),
  PARTNER_ONLY(4037, 403, "Only a partner may do this"),
  ACCOUNT_SCOPE_REQUIRED(4038, 403, "Log in to the customer's account first"),
  ACCOUNT_CANCELLED(4039, 403, "The account is cancelled"),
  /** R28: a member acting on a customer that is not assigned to it. */
  NOT_ASSIGNED(40328, 403, "This customer is not assigned to you"),
  /** R28: managing the team is for the partner organisation's admins. */
  PARTNER_ADMIN_ONLY(40329, 403, "Only an admin of the partner organisation may do this"),
  TEST_CLOCK_OFF(4040, 404, "The test clock is off"),
  NOT_FOUND(4041, 404, "Not found"),
  METHOD_NOT_ALLOWED(4050, 405, "Method not allowed"),
  CONFLICT(4090, 409, "The request conflicts with the current state"),
  EMAIL_TAKEN(4091, 409, "An account already uses this email"),
  INVITE_EXPIRED(4092, 409, "The invite has expired"),
  INVITE_NOT_PENDING(4093, 409, "The invite is no longer pending"),
  ALREADY_CONNECTED(4094, 409, "The partner is already connected to this account"),
  REQUEST_NOT_PENDING(4095, 409, "The access request was already decided"),
  ACCESS_ALREADY_ENABLED(4096, 409, "Access is already enabled"),
  OWNER_EXISTS(4097, 409, "The account already has an owner"),
  HANDOVER_PENDING(4098, 409, "The account has not been handed over to its owner yet"),
  /** R28: the change would leave the partner organisation without an admin. */
  LAST_ADMIN(40928, 409, "A partner organisation needs at least one admin"),
  LINK_SPENT(4099, 409, "The link was already used or has expired"),
  UNKNOWN_REFERRAL_CODE(4220, 422, "The referral code is not known"),
  UNKNOWN_PLAN(4221, 422, "The plan is not known"),
  TOO_MANY_ATTEMPTS(4290, 429, "Too many attempts; wait and try again"),
  PAYLOAD_TOO_LARGE(4130, 413, "The body is too large"),
  URI_TOO_LONG(4140, 414, "The request's URI is too long"),
  HEADERS_TOO_LARGE(4310, 431, "The request's headers are too large"),
  UNSUPPORTED_MEDIA_TYPE(4150, 415, "Send JSON (Content-Type: application/json)"),
  INTERNAL(5000, 500, "Something went wrong on our side"),
  UNAVAILABLE(5030, 503, "The service is not ready");

  private static final Map<Integer, Problem> BY_CODE = new HashMap<>();

  static {
    for (Problem p : values()) {
      BY_CODE.put(p.code, p);
    }
  }

  public final int code;
  public final int status;
  public final String title;

  Problem(int code, int status, String title) {
    this.code = code;
    this.status = status;
    this.title = title;
  }

  public static Problem byCode(int code) {
    return BY_CODE.get(code);
  }

  public DomainException exception(String detail) {
    return new DomainException(this, detail);
  }

  /** A refusal with {@code Retry-After: seconds} (429 and 503). */
  public DomainException exception(String detail, long retryAfterSeconds) {
    return new DomainException(this, detail, Math.max(1, retryAfterSeconds));
  }

  public DomainException exception() {
    return new DomainException(this, title);
  }
}
