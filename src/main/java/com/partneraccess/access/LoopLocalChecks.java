package com.partneraccess.access;

import com.partneraccess.bus.Addresses;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which {@code rules.check} consumer shares the caller's event loop. Every {@link AccessRuleVerticle} also consumes
 * {@code rules.check.loop.<n>} (local only) and registers it here against its event-loop thread; an
 * {@link AccessClient} called on that thread sends there, so the check, its read and the reply stay on the loop
 * that holds the request (no hand-over to another thread and back, no wake-up of a sleeping loop). A caller on a
 * thread without a consumer (a worker, a loop with no instance) uses the shared address, spread round-robin.
 * The consumers are the same verticle code either way: only the route of the message differs.
 */
final class LoopLocalChecks {
  private static final Map<Thread, String> BY_THREAD = new ConcurrentHashMap<>();
  private static final java.util.concurrent.atomic.AtomicLong NEXT = new java.util.concurrent.atomic.AtomicLong();

  private LoopLocalChecks() {}

  /** A new address for a consumer started on the current thread (its event loop), registered for that thread. */
  static String register() {
    String address = Addresses.RULES_CHECK + ".loop." + NEXT.incrementAndGet();
    BY_THREAD.put(Thread.currentThread(), address);
    return address;
  }

  /** Forgets the address if it is still the one registered for its thread. */
  static void unregister(Thread thread, String address) {
    BY_THREAD.remove(thread, address);
  }

  /** The consumer on the caller's thread, or the shared address. */
  static String forCurrentThread() {
    String local = BY_THREAD.get(Thread.currentThread());
    return local == null ? Addresses.RULES_CHECK : local;
  }
}
