package com.partneraccess.identity;

import com.partneraccess.bus.Problem;
import com.partneraccess.time.AppClock;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

import java.time.Duration;
import java.util.Locale;

/**
 * Slows down password guessing: after {@value #MAX_FAILURES} failed sign-ins for one email within
 * {@link #WINDOW}, further attempts for that email are refused with 429 until the window has passed; a
 * successful sign-in clears the count. Counts live in a process-wide local map (shared by every HTTP
 * verticle of the process), so with several instances each keeps its own count.
 */
public final class SignInThrottle {
  static final int MAX_FAILURES = 5;
  static final Duration WINDOW = Duration.ofMinutes(15);

  private final LocalMap<String, String> failures;
  private final AppClock clock;

  public SignInThrottle(Vertx vertx, AppClock clock) {
    this.failures = vertx.sharedData().getLocalMap("sign-in-failures");
    this.clock = clock;
  }

  /** Refuses when the email has used up its attempts; otherwise does nothing. */
  public void check(String email) {
    Window w = read(key(email));
    if (w != null && w.count >= MAX_FAILURES) {
      long minutes = Math.max(1, Duration.ofMillis(w.start + WINDOW.toMillis() - clock.now().toEpochMilli()).toMinutes() + 1);
      throw Problem.TOO_MANY_ATTEMPTS.exception("Too many failed sign-ins for this email; try again in "
          + minutes + (minutes == 1 ? " minute" : " minutes"));
    }
  }

  public void failed(String email) {
    String key = key(email);
    for (int attempt = 0; attempt < 10; attempt++) {
      String old = failures.get(key);
      Window w = parse(old);
      long now = clock.now().toEpochMilli();
      String next = w == null ? "1:" + now : (w.count + 1) + ":" + w.start;
      if (old == null ? failures.putIfAbsent(key, next) == null : failures.replace(key, old, next)) {
        return;
      }
    }
  }

  public void succeeded(String email) {
    failures.remove(key(email));
  }

  private record Window(int count, long start) {}

  private Window read(String key) {
    Window w = parse(failures.get(key));
    if (w != null && clock.now().toEpochMilli() - w.start >= WINDOW.toMillis()) {
      failures.remove(key);
      return null;
    }
    return w;
  }

  private Window parse(String value) {
    if (value == null) {
      return null;
    }
    int colon = value.indexOf(':');
    Window w = new Window(Integer.parseInt(value.substring(0, colon)), Long.parseLong(value.substring(colon + 1)));
    return clock.now().toEpochMilli() - w.start >= WINDOW.toMillis() ? null : w;
  }

  private static String key(String email) {
    return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
  }
}
