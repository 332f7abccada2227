package com.partneraccess.activity;

import com.partneraccess.authz.AccountActor;
import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.bus.Input;
import io.vertx.core.Future;

import java.util.List;

/** THE home of reading the activity history (R23): the owner only, newest first, in pages. */
public final class ActivityService {
  private final ActivityRepository repository;

  public ActivityService(ActivityRepository repository) {
    this.repository = repository;
  }

  /** One page, older than the entry {@code before} (a cursor) when given; at most 500 rows. */
  public Future<List<ActivityEntry>> page(AccountActor actor, Long before, Integer limit) {
    Permissions.require(actor, Operation.VIEW_ACTIVITY);
    return repository.page(actor.accountId(), before, Input.range(limit, "limit", 1, Input.PAGE_MAX, 100));
  }
}
