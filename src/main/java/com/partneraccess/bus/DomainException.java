package com.partneraccess.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/** A refusal with a reason the client can act on. Travels over the event bus as its {@link Problem#code}. */
public class DomainException extends RuntimeException {
  private final Problem problem;
  private final long retryAfterSeconds;

  public DomainException(Problem problem, String detail) {
    this(problem, detail, 0);
  }

  /** A refusal that says when to try again ({@code Retry-After}, in seconds; 0: not said). */
  public DomainException(Problem problem, String detail, long retryAfterSeconds) {
    super(detail, null, false, false);
    this.problem = problem;
    this.retryAfterSeconds = Math.max(0, retryAfterSeconds);
  }

  public Problem problem() {
    return problem;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** Turns a failed bus reply back into the refusal it carried, or leaves other failures as they are. */
  public static Throwable fromReply(Throwable failure) {
    if (failure instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      Problem p = Problem.byCode(re.failureCode());
      if (p != null) {
        return new DomainException(p, re.getMessage());
      }
    }
    return failure;
  }
}
