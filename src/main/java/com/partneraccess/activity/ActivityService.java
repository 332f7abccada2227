package com.partneraccess.activity;

import com.partneraccess.authz.AccountActor;
import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.bus.Input;
import com.partneraccess.bus.Problem;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * THE home of reading the activity history (R23) and of the questions about its past (R32): the owner only.
 * Pages of the log, newest first; who could access the account at a moment and who did; the CSV export of a
 * date range, streamed in keyset batches with backpressure.
 */
public final class ActivityService {
  /** Rows per batch of the CSV export: what one export holds in memory at most, besides the sink's queue. */
  public static final int EXPORT_BATCH = 1000;
  /** An export may span at most this many days (ten years). */
  public static final int EXPORT_DAYS_MAX = 3660;
  /** Without {@code to} an export ends now; without {@code from} it covers this many days before its end. */
  public static final int EXPORT_DEFAULT_DAYS = 30;
  /** A client that reads nothing for this long has its export abandoned. */
  static final long DRAIN_TIMEOUT_SECONDS = 60;
  /** The "did" window either side of the moment: default and maximum, in minutes. */
  public static final int WINDOW_DEFAULT = 60;
  public static final int WINDOW_MAX = 1440;

  private final ActivityRepository repository;
  private final AccessHistoryRepository history;
  private final AppClock clock;

  public ActivityService(ActivityRepository repository, AppClock clock) {
    this.repository = repository;
    this.history = new AccessHistoryRepository(repository.pool());
    this.clock = clock;
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

  /**
   * R32: who could access the account at {@code at}, and who did within {@code windowMinutes} (1-1440, default 60)
   * either side. {@code tz} null: {@code at} is ISO-8601 with an offset (the API); otherwise a local date-time in
   * that zone is accepted too (the page); no moment means now. A moment in the future is refused: the history
   * answers for the past.
   */
  public Future<AccessAtMoment> atMoment(AccountActor actor, String at, String tz, Integer windowMinutes) {
    Permissions.require(actor, Operation.VIEW_ACCESS_HISTORY);
    Instant moment = at == null || at.isBlank() ? clock.now()
        : Moments.parse(at, "The moment", tz == null ? null : Moments.zone(tz), false);
    int window = Input.range(windowMinutes, "windowMinutes", 1, WINDOW_MAX, WINDOW_DEFAULT);
    if (moment.isAfter(clock.now())) {
      throw Problem.VALIDATION_FAILED.exception("The moment must not be in the future: the history answers for the past");
    }
    Duration w = Duration.ofMinutes(window);
    return history.stateAt(actor.accountId(), moment).compose(partners -> history
        .partnerActivity(actor.accountId(), moment.minus(w), moment.plus(w))
        .map(did -> new AccessAtMoment(moment.toString(), window, partners, did)));
  }

  /**
   * R32: checks and validates an export of {@code [from, to)}: from before to, at most {@link #EXPORT_DAYS_MAX}
   * days. With {@code tz} (the page) dates and local date-times are read in that zone and a date as {@code to}
   * includes that day; without it (the API) both are ISO-8601 with an offset. Without {@code to} the export ends
   * now, without {@code from} it starts {@link #EXPORT_DEFAULT_DAYS} days before its end.
   */
  public CsvExport csvExport(AccountActor actor, String from, String to, String tz) {
    Permissions.require(actor, Operation.EXPORT_ACTIVITY);
    ZoneId zone = tz == null ? null : Moments.zone(tz);
    Instant end = to == null || to.isBlank() ? clock.now() : Moments.parse(to, "The end (to)", zone, true);
    Instant start = from == null || from.isBlank() ? end.minus(Duration.ofDays(EXPORT_DEFAULT_DAYS))
        : Moments.parse(from, "The start (from)", zone, false);
    if (!start.isBefore(end)) {
      throw Problem.VALIDATION_FAILED.exception("The start (from) must be before the end (to)");
    }
    if (Duration.between(start, end).toDays() > EXPORT_DAYS_MAX) {
      throw Problem.VALIDATION_FAILED.exception("An export may span at most " + EXPORT_DAYS_MAX + " days");
    }
    ZoneId shown = zone == null ? ZoneId.of("UTC") : zone;
    String name = "activity-" + start.atZone(shown).toLocalDate() + "-to-"
        + end.minusNanos(1).atZone(shown).toLocalDate() + ".csv";
    return new CsvExport(actor.accountId(), start, end, shown, name);
  }

  /**
   * R32: writes the export to {@code out} (header, then every row oldest first) and returns how many rows it
   * wrote; the caller ends {@code out}. One batch of {@link #EXPORT_BATCH} rows is read at a time and the next is
   * read only once {@code out} can take more ({@code writeQueueFull} / drain), so a year of a busy account is never
   * held in memory. Fails when a write fails (the client went away) or the client reads nothing for
   * {@value #DRAIN_TIMEOUT_SECONDS} seconds.
   */
  public Future<Long> writeCsv(CsvExport export, WriteStream<Buffer> out) {
    Future<Void> header = out.write(Buffer.buffer(ActivityCsv.HEADER));
    return whenWritable(out, header).compose(v -> nextBatch(export, out, null, 0L, 0L));
  }

  private Future<Long> nextBatch(CsvExport x, WriteStream<Buffer> out, Instant afterAt, long afterId, long written) {
    return repository.rangeBatch(x.accountId, x.from, x.to, afterAt, afterId, EXPORT_BATCH).compose(rows -> {
      if (rows.isEmpty()) {
        return Future.succeededFuture(written);
      }
      StringBuilder b = new StringBuilder(rows.size() * 128);
      rows.forEach(e -> b.append(ActivityCsv.line(e, x.zone)));
      Future<Void> write = out.write(Buffer.buffer(b.toString()));
      long total = written + rows.size();
      if (rows.size() < EXPORT_BATCH) {
        return write.map(v -> total);
      }
      ActivityEntry last = rows.get(rows.size() - 1);
      return whenWritable(out, write).compose(v -> nextBatch(x, out, Instant.parse(last.at()), last.id(), total));
    });
  }

  /** Completes at once while {@code out} has room, else on its drain; fails with the write or after the timeout. */
  private static Future<Void> whenWritable(WriteStream<Buffer> out, Future<Void> lastWrite) {
    if (lastWrite.failed()) {
      return lastWrite;
    }
    if (!out.writeQueueFull()) {
      return Future.succeededFuture();
    }
    Promise<Void> room = Promise.promise();
    out.drainHandler(v -> room.tryComplete());
    lastWrite.onFailure(room::tryFail);
    return room.future().timeout(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
