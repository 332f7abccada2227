package com.partneraccess.jobs;

import com.partneraccess.authz.AccountActor;
import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.bus.Input;
import io.vertx.core.Future;

import java.util.List;

/** THE home of the jobs operations (R12 counts them): list, and create up to 500 in one request. */
public final class JobService {
  private final JobRepository repository;

  public JobService(JobRepository repository) {
    this.repository = repository;
  }

  /**
   * What a caller asks of the jobs list, as given (page query string or API query): person ({@code user:<id>} or
   * {@code partner:<id>}), from / to (a day or an ISO instant), page size and the cursor of the previous page.
   */
  public record ListJobs(String person, String from, String to, Integer limit, String cursor) {
    public static ListJobs first(Integer limit) {
      return new ListJobs(null, null, null, limit, null);
    }
  }

  /** A page of jobs and the cursor of the next page (null on the last). */
  public record JobPage(List<Job> jobs, String nextCursor) {}

  /** The account's jobs, newest first, filtered and in pages of at most {@value JobQuery#PAGE_MAX}. */
  public Future<JobPage> list(AccountActor actor, ListJobs request) {
    Permissions.require(actor, Operation.LIST_JOBS);
    return repository.list(JobQuery.parse(actor.accountId(), request));
  }

  /** The people a jobs or activity list can be filtered by: the account's users and the partners ever connected. */
  public Future<List<JobRepository.PersonOption>> people(AccountActor actor) {
    Permissions.require(actor, Operation.LIST_JOBS);
    return repository.people(actor.accountId());
  }

  /** What to create: a title (numbered when more than one) and how many (1 to 500; 1 when absent). */
  public record CreateJobs(String title, Integer quantity) {}

  public Future<JobsCreated> create(AccountActor actor, CreateJobs cmd) {
    Permissions.require(actor, Operation.CREATE_JOBS);
    String title = Input.requiredText(cmd.title(), "Job title", Input.NAME_MAX);
    int quantity = Input.range(cmd.quantity(), "Quantity", 1, Input.JOBS_PER_REQUEST_MAX, 1);
    return repository.create(actor, title, quantity);
  }
}
