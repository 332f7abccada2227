package com.partneraccess.commission;

import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.authz.Principal;
import com.partneraccess.bus.Input;
import com.partneraccess.bus.Problem;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** THE home of revenue share (R21) and status credits (R22) as the partner reads them, and of the plans. */
public final class CommissionService {
  private final CommissionRepository repository;
  private final Plans plans;
  private final AppClock clock;

  public CommissionService(CommissionRepository repository, Plans plans, AppClock clock) {
    this.repository = repository;
    this.plans = plans;
    this.clock = clock;
  }

  public Plans plans() {
    return plans;
  }

  /** The month asked for ("2026-03"), this month when absent. */
  public YearMonth month(String asked) {
    if (asked == null || asked.isBlank()) {
      return YearMonth.from(clock.now().atOffset(ZoneOffset.UTC));
    }
    try {
      return YearMonth.parse(asked.strip());
    } catch (RuntimeException e) {
      throw Problem.VALIDATION_FAILED.exception("The month must look like 2026-03");
    }
  }

  public Future<Statement> statement(Principal partner, YearMonth month) {
    Permissions.require(partner, Operation.VIEW_COMMISSION);
    return repository.statement(partner.partnerId(), month);
  }

  /** The totals of the last {@code months} months (1 to 36; 12 when absent). */
  public Future<List<MonthTotal>> history(Principal partner, Integer months) {
    Permissions.require(partner, Operation.VIEW_COMMISSION);
    return repository.history(partner.partnerId(), Input.range(months, "months", 1, 36, 12));
  }

  /**
   * The tier badges of listed partners, as the partner directory shows them to customers (a listed partner's tier
   * is public): the caller was authorised by the directory's own operation.
   */
  public Future<Map<UUID, Credits>> creditsOf(Collection<UUID> partnerIds) {
    return repository.creditsOf(partnerIds);
  }

  public Future<Credits> credits(Principal partner) {
    Permissions.require(partner, Operation.VIEW_PROFILE);
    return repository.credits(partner.partnerId());
  }
}
