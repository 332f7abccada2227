package com.partneraccess.access;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Coalesces "last accessed" touches (R11) so the hot path never writes: the latest access per connection
 * is kept in memory and flushed in one statement about once a second. Used from one event loop only.
 */
final class TouchBuffer {
  private Map<UUID, Instant> pending = new HashMap<>();

  void touch(UUID connectionId, Instant at) {
    pending.merge(connectionId, at, (a, b) -> a.isAfter(b) ? a : b);
  }

  Instant pending(UUID connectionId) {
    return pending.get(connectionId);
  }

  int size() {
    return pending.size();
  }

  /** Hands the pending touches over for a flush and starts a new batch. */
  Map<UUID, Instant> drain() {
    Map<UUID, Instant> out = pending;
    pending = new HashMap<>();
    return out;
  }

  /** Puts back touches whose flush failed, keeping any newer ones. */
  void restore(Map<UUID, Instant> batch) {
    batch.forEach(this::touch);
  }
}
