package com.partneraccess.web;

import com.partneraccess.authz.Principal;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The model every page is rendered with: the page's own values plus what the layout reads: the CSRF token and its
 * field name, the flash message, the signed-in user, the errors of the submitted form's fields, and the header's
 * unread-notification count (R27). A page's own value for any of these wins.
 */
final class PageModel {
  /** How long a page waits for its header's unread count before it renders without it. */
  static final long UNREAD_WAIT_MILLIS = 1000;

  /** R27: the unread count of the page header (none until {@link #countUnreadWith} is called). */
  private Function<Principal, Future<Integer>> unreadCount;

  /** R27: every page of a signed-in user shows their unread notifications in the header. */
  void countUnreadWith(Function<Principal, Future<Integer>> count) {
    this.unreadCount = count;
  }

  /** The page's model completed with the common values ({@code flash}: the message taken for this page, or null). */
  Future<Map<String, Object>> complete(RoutingContext ctx, String template, Map<String, Object> model,
                                       Map<String, String> flash) {
    Map<String, Object> m = new HashMap<>(model);
    m.putIfAbsent("csrf", ctx.get(Web.CSRF));
    m.putIfAbsent("csrfField", Web.CSRF_FIELD);
    if (flash != null) {
      m.putIfAbsent("flash", flash);
    }
    Principal p = Web.principal(ctx);
    if (p != null) {
      m.putIfAbsent("me", p);
    }
    // a refusal about one field of the submitted form is shown next to that field (aria-invalid, aria-describedby)
    if (m.get("error") instanceof String error && !error.isEmpty() && ctx.get(Web.FORM) instanceof Form form) {
      m.putIfAbsent("fieldErrors", form.fieldErrors(error));
    }
    return unread(p, template).map(n -> {
      if (n != null) {
        m.putIfAbsent("unreadNotifications", n);
      }
      return m;
    });
  }

  /** The header's unread count, or null (error pages, no count source, or the count not there in time). */
  private Future<Integer> unread(Principal p, String template) {
    if (p == null || unreadCount == null || template.startsWith("errors/")) {
      return Future.succeededFuture(null);
    }
    try {
      return unreadCount.apply(p).timeout(UNREAD_WAIT_MILLIS, TimeUnit.MILLISECONDS).otherwise((Integer) null);
    } catch (RuntimeException e) {
      return Future.succeededFuture(null);
    }
  }
}
