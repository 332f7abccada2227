package com.partneraccess.db;

import org.slf4j.Logger;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * During an outage every request fails the same way; this logs one line per kind of failure per interval,
 * with the number of similar failures left out since the previous line, instead of a stack trace per
 * request. Thread-safe: one instance serves every verticle of a process.
 */
public final class OutageLog {
  private final Logger log;
  private final long intervalNanos;
  private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

  private static final class Window {
    long startedAt;
    long suppressed;

    Window(long startedAt) {
      this.startedAt = startedAt;
    }
  }

  public OutageLog(Logger log, long intervalMillis) {
    this.log = log;
    this.intervalNanos = intervalMillis * 1_000_000L;
  }

  /**
   * A failed request or periodic round: an unavailable database ({@link Unavailable#kind}) once per kind per
   * interval, shared by every task that meets it; anything else as one line each time.
   */
  public void failure(String what, Throwable err) {
    String kind = Unavailable.kind(err);
    if (kind != null) {
      warn(kind, what);
    } else {
      log.warn("{}: {}", what, String.valueOf(err));
    }
  }

  /** Logs {@code kind: where} as a warning unless the same kind was logged within the interval. */
  public void warn(String kind, String where) {
    long now = System.nanoTime();
    long suppressed;
    Window w = windows.computeIfAbsent(kind, k -> new Window(now - intervalNanos));
    synchronized (w) {
      if (now - w.startedAt < intervalNanos) {
        w.suppressed++;
        return;
      }
      suppressed = w.suppressed;
      w.startedAt = now;
      w.suppressed = 0;
    }
    if (suppressed > 0) {
      log.warn("{}: {} (and {} more since the previous line)", kind, where, suppressed);
    } else {
      log.warn("{}: {}", kind, where);
    }
  }
}
