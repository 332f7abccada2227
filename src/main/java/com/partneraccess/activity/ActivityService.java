package com.partneraccess.activity;

import com.partneraccess.authz.AccountActor;
import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import io.vertx.core.Future;

import java.util.List;

/** THE home of reading the activity history (R23): the owner only, newest first, filtered, in pages. */
public final class ActivityService {
  private final ActivityRepository repository;

  public ActivityService(ActivityRepository repository) {
    this.repository = repository;
  }

  /**
   * What a caller asks of the history, as given (page query string or API query): person ({@code user:<id>} or
   * {@code partner:<id>}), kind, from / to (a day or an ISO instant), page size, and the cursor of the previous page
   * (or {@code before}, the id of the oldest entry shown, as the API took it before cursors).
   */
  public record ListActivity(String person, String kind, String from, String to, Integer limit, String cursor,
                             Long before) {}

  /** A page of the history and the cursor of the next (older) page, null on the last. */
  public record ActivityPage(List<ActivityEntry> entries, String nextCursor) {}

  /** One page, newest first, at most {@value ActivityQuery#PAGE_MAX} rows. */
  public Future<ActivityPage> page(AccountActor actor, ListActivity request) {
    Permissions.require(actor, Operation.VIEW_ACTIVITY);
    return repository.page(ActivityQuery.parse(actor.accountId(), request));
  }
}
