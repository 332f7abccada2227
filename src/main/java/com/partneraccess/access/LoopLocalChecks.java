package com.partneraccess.access;

import com.partneraccess.bus.Addresses;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which {@code rules.check} consumer shares the caller's event loop. Every {@link AccessRuleVerticle} also consumes
 * {@code rules.check.loop.<n>} (local only) and registers it here against its event-loop thread; an
 * {@link AccessClient} called on that thread sends there, so the check, its read and its answer stay on the loop
 * that holds the request (no hand-over to another thread and back, no wake-up of a sleeping loop). A caller on a
 * thread without a consumer (a worker, a loop with no instance) uses the shared address, spread round-robin.
 * The consumers are the same verticle code either way: only the route of the message differs.
 *
 * <p>Each loop also keeps the checks sent on it and not answered yet, oldest first, so that one timer per loop
 * (every {@link #SCAN_MILLIS}) bounds them all: a check unanswered after {@link AccessClient#TIMEOUT_MILLIS} (the
 * database froze mid-query, or the consumer went away with the check in its queue) fails as unavailable. Every
 * check has the same timeout and they are added in time order, so the oldest is always first in line.
 */
final class LoopLocalChecks {
  /** How often each loop looks for overdue checks: a check is answered at most this much after its timeout. */
  static final long SCAN_MILLIS = 250;
  /** The most checks one loop keeps waiting; beyond it a check is refused at once (the database is not keeping up). */
  static final int MAX_PENDING = 16_384;
  private static final long TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(AccessClient.TIMEOUT_MILLIS);
  private static final Map<Thread, Loop> BY_THREAD = new ConcurrentHashMap<>();
  private static final AtomicLong NEXT = new AtomicLong();

  private LoopLocalChecks() {}

  /** A new loop-local consumer on the current thread (its event loop), registered for that thread. */
  static Loop register() {
    Loop loop = new Loop(Addresses.RULES_CHECK + ".loop." + NEXT.incrementAndGet());
    BY_THREAD.put(Thread.currentThread(), loop);
    return loop;
  }

  /** Forgets the loop's consumer if it is still the one registered for its thread. */
  static void unregister(Thread thread, Loop loop) {
    BY_THREAD.remove(thread, loop);
  }

  /** The consumer on the caller's thread, or null: the caller then uses the shared address. */
  static Loop forCurrentThread() {
    return BY_THREAD.get(Thread.currentThread());
  }

  /** One loop's consumer and its unanswered checks. Used only on that loop's thread. */
  static final class Loop {
    private final String address;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    private Loop(String address) {
      this.address = address;
    }

    String address() {
      return address;
    }

    /** Keeps a check until it is answered or overdue; false (refuse it) when {@link #MAX_PENDING} already wait. */
    boolean track(Promise<AccessGrant> answer, long nowNanos) {
      dropAnswered();
      if (pending.size() >= MAX_PENDING) {
        return false;
      }
      pending.addLast(new Pending(answer, nowNanos + TIMEOUT_NANOS));
      return true;
    }

    /**
     * Fails every check whose time is up. First lets go of every answered check, not only those at the head: behind a
     * slow one (its last-minute write waiting on a lock) answered checks stay queued, and the bound of {@link #track}
     * is on checks waiting. One pass per tick of the loop's timer, so a full queue is not scanned per request.
     */
    void expire(long nowNanos) {
      pending.removeIf(p -> p.answer().future().isComplete());
      while (!pending.isEmpty() && pending.peekFirst().deadlineNanos() - nowNanos <= 0) {
        pending.pollFirst().answer().tryFail(AccessClient.timedOut());
        dropAnswered();
      }
    }

    /** Fails every check still waiting (the consumer is going away). */
    void failAll() {
      while (!pending.isEmpty()) {
        pending.pollFirst().answer().tryFail(AccessClient.timedOut());
      }
    }

    /** The checks not answered yet. */
    int waiting() {
      pending.removeIf(p -> p.answer().future().isComplete());
      return pending.size();
    }

    private void dropAnswered() {
      while (!pending.isEmpty() && pending.peekFirst().answer().future().isComplete()) {
        pending.pollFirst();
      }
    }
  }

  private record Pending(Promise<AccessGrant> answer, long deadlineNanos) {}
}
