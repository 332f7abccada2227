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

  public Future<List<Job>> list(AccountActor actor, Integer limit) {
    Permissions.require(actor, Operation.LIST_JOBS);
    return repository.list(actor.accountId(), Input.range(limit, "limit", 1, Input.PAGE_MAX, 100));
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
