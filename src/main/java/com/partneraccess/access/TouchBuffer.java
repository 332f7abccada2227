package com.partneraccess.access;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Coalesces "last accessed" touches (R11) so the hot path never writes: the latest access per connection
 * is kept in memory and flushed in one statement about once a second. One buffer per process, shared by the
 * access-check verticles of every event loop (thread-safe), so a check on any event loop counts a touch seen
 * on another — including touches whose flush is still in flight — and an access never shortens itself.
 */
final class TouchBuffer {
  private final ConcurrentHashMap<UUID, Instant> pending = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<UUID, Instant> inFlight = new ConcurrentHashMap<>();
  private final AtomicBoolean flushing = new AtomicBoolean();

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  void touch(UUID connectionId, Instant at) {
    pending.merge(connectionId, at, TouchBuffer::later);
  }

  /** The latest access this process saw and has not committed yet (pending or being flushed), or null. */
  Instant pending(UUID connectionId) {
    Instant p = pending.get(connectionId);
    Instant f = inFlight.get(connectionId);
    return p == null ? f : f == null ? p : later(p, f);
  }

  int size() {
    return pending.size();
  }

  /** Claims the one flush of the process; false if another event loop is flushing. */
  boolean startFlush() {
    return flushing.compareAndSet(false, true);
  }

  void endFlush() {
    flushing.set(false);
  }

  /** Hands the pending touches over for a flush; they count as in flight until {@link #flushed} or restore. */
  Map<UUID, Instant> drain() {
    Map<UUID, Instant> out = new HashMap<>();
    for (UUID id : pending.keySet()) {
      Instant at = pending.remove(id);
      if (at != null) {
        out.put(id, at);
        inFlight.merge(id, at, TouchBuffer::later);
      }
    }
    return out;
  }

  /** The batch is committed: its touches are in the database now. */
  void flushed(Map<UUID, Instant> batch) {
    batch.forEach(inFlight::remove);
  }

  /** Puts back touches whose flush failed, keeping any newer ones. */
  void restore(Map<UUID, Instant> batch) {
    batch.forEach(this::touch);
    batch.forEach(inFlight::remove);
  }
}
