package com.partneraccess.notifications;

import com.partneraccess.authz.Operation;
import com.partneraccess.authz.Permissions;
import com.partneraccess.authz.Principal;
import com.partneraccess.bus.Input;
import com.partneraccess.bus.Problem;
import com.partneraccess.notifications.NotificationRepository.Choice;
import com.partneraccess.time.AppClock;
import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * THE home of the notification centre's operations (R27, R31), for the JSON API and the pages alike: a user's
 * notifications newest first (pages of at most {@value #PAGE_MAX}), the unread count, marking one or all read, and
 * the user's choices per kind (e-mail; for admins, whether to be told when a partner logs in). Every signed-in
 * user sees only their own. Notifications are written by {@link NotificationStore} inside the changes.
 */
public final class NotificationService {
  /** The most notifications one page holds (documented in openapi.yaml). */
  public static final int PAGE_MAX = 100;
  static final int PAGE_DEFAULT = 20;
  /** The unread count stops counting here: the header shows "99+". */
  public static final int UNREAD_CAP = 100;

  private final NotificationRepository repository;
  private final AppClock clock;

  public NotificationService(NotificationRepository repository, AppClock clock) {
    this.repository = repository;
    this.clock = clock;
  }

  /** A page of notifications, the cursor of the next page (null: this was the last) and the unread count. */
  public record Page(List<Notification> notifications, String nextCursor, int unread) {}

  public Future<Page> list(Principal p, Integer limit, String cursor) {
    Permissions.require(p, Operation.VIEW_NOTIFICATIONS);
    int n = Input.range(limit, "limit", 1, PAGE_MAX, PAGE_DEFAULT);
    Cursor after = Cursor.parse(Input.optionalText(cursor, "cursor", 200));
    return repository.page(p.userId(), after == null ? null : after.at(), after == null ? null : after.id(), n + 1)
        .compose(rows -> repository.unread(p.userId(), UNREAD_CAP).map(unread -> {
          boolean more = rows.size() > n;
          List<Notification> page = more ? rows.subList(0, n) : rows;
          Notification last = page.isEmpty() ? null : page.get(page.size() - 1);
          return new Page(List.copyOf(page), more ? new Cursor(last.createdAt(), last.id()).encode() : null, unread);
        }));
  }

  /** The unread count shown in every page's header (capped at {@value #UNREAD_CAP}). */
  public Future<Integer> unread(Principal p) {
    Permissions.require(p, Operation.VIEW_NOTIFICATIONS);
    return repository.unread(p.userId(), UNREAD_CAP);
  }

  /** Marks one of the caller's notifications read; true when it was unread. Someone else's: 404. */
  public Future<Boolean> markRead(Principal p, UUID id) {
    Permissions.require(p, Operation.MARK_NOTIFICATIONS_READ);
    return repository.markRead(p.userId(), id, clock.nowUtc());
  }

  /** Marks all the caller's notifications read; returns how many were unread. */
  public Future<Integer> markAllRead(Principal p) {
    Permissions.require(p, Operation.MARK_NOTIFICATIONS_READ);
    return repository.markAllRead(p.userId(), clock.nowUtc());
  }

  /**
   * One kind as the user may set it: e-mailed or not; {@code toldByChoice}: whether being told at all is the
   * user's choice (admins and login alerts, R31), and then {@code told} says what they chose.
   */
  public record Preference(String kind, String label, boolean email, boolean told, boolean toldByChoice) {}

  /** The caller's choices for every kind they can receive (staff: none), defaults filled in. */
  public Future<List<Preference>> preferences(Principal p) {
    Permissions.require(p, Operation.VIEW_NOTIFICATIONS);
    return repository.recipient(p.userId()).compose(who -> repository.choices(p.userId()).map(chosen -> {
      List<Preference> out = new ArrayList<>();
      for (NotificationKind k : NotificationKind.forUser(who.partner(), who.role())) {
        Choice c = chosen.get(k.code);
        boolean byChoice = k.toldByChoice(who.role()) && !who.partner();
        out.add(new Preference(k.code, k.label, c == null ? k.emailByDefault : c.email(),
            !byChoice || (c == null ? k.toldByDefault(who.role()) : c.inApp()), byChoice));
      }
      return out;
    }));
  }

  /** A choice for one kind as sent: null leaves that part as it is. */
  public record SetPreference(String kind, Boolean email, Boolean told) {}

  /**
   * Saves the caller's choices; a kind the caller cannot receive is refused (400) with its name. Returns the
   * preferences as they are now.
   */
  public Future<List<Preference>> setPreferences(Principal p, List<SetPreference> changes) {
    Permissions.require(p, Operation.SET_NOTIFICATION_PREFERENCES);
    if (changes == null || changes.isEmpty()) {
      throw Problem.VALIDATION_FAILED.exception("Send at least one preference");
    }
    if (changes.size() > NotificationKind.values().length) {
      throw Problem.VALIDATION_FAILED.exception("Send at most " + NotificationKind.values().length + " preferences");
    }
    return preferences(p).compose(current -> {
      Map<String, Preference> byKind = new LinkedHashMap<>();
      current.forEach(c -> byKind.put(c.kind(), c));
      Map<String, Choice> save = new LinkedHashMap<>();
      for (SetPreference s : changes) {
        Preference now = s == null ? null : byKind.get(s.kind());
        if (now == null) {
          return Future.failedFuture(Problem.VALIDATION_FAILED.exception("There is no notification kind \""
              + (s == null ? null : s.kind()) + "\" for you; yours are " + String.join(", ", byKind.keySet())));
        }
        if (s.told() != null && !now.toldByChoice() && !s.told()) {
          return Future.failedFuture(Problem.VALIDATION_FAILED.exception("You are always told about \""
              + now.label() + "\"; only whether it is e-mailed is your choice"));
        }
        save.put(s.kind(), new Choice(s.told() == null ? now.told() : s.told(),
            s.email() == null ? now.email() : s.email()));
      }
      return repository.saveChoices(p.userId(), save).compose(v -> preferences(p));
    });
  }

  /** The position after the last notification of a page: its time and id, base64url so it is opaque. */
  record Cursor(Instant at, UUID id) {
    String encode() {
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString((at.toString() + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor parse(String text) {
      if (text == null) {
        return null;
      }
      try {
        String s = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
        int bar = s.indexOf('|');
        return new Cursor(Instant.parse(s.substring(0, bar)), UUID.fromString(s.substring(bar + 1)));
      } catch (RuntimeException e) {
        throw Problem.VALIDATION_FAILED.exception("cursor is not one this service gave out; start from the first page");
      }
    }
  }
}
