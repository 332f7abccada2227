package com.partneraccess.web;

import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import com.partneraccess.http.SessionCookie;
import com.partneraccess.authz.Principal;
import com.partneraccess.identity.TokenService;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.templ.pebble.PebbleTemplateEngine;
import io.vertx.sqlclient.Pool;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every page shares: the session (the JWT in {@link SessionCookie}), CSRF protection, flash messages (a
 * short-lived cookie read by the next page), and rendering Pebble templates with the common model.
 * The session, CSRF and flash cookies stay together here: they are one prelude that every page runs in a fixed
 * order. What the layout needs beyond the page's own values is added by {@link PageModel}.
 *
 * <p>CSRF: a random cookie ({@code pa_csrf}, SameSite=Strict, HttpOnly) and a form token that is the HMAC of that
 * cookie <em>and of the session cookie</em>, checked on every non-GET request. So a token works only with the session
 * it was shown in: one from before signing in (or from another user's session) is refused, and the cookie itself is
 * replaced whenever the session starts, changes or ends.
 */
public final class Web {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Web.class);
  static final String PRINCIPAL = "web.principal";
  static final String CSRF = "web.csrf";
  static final String STARTED = "web.started";
  static final String PAGE = "web.page";
  static final String FORM = "web.form";
  static final String CSRF_FIELD = "_csrf";
  static final String CSRF_HEADER = "X-CSRF-Token";

  private static final Pattern ISO_INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?Z");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
      .withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PebbleTemplateEngine engine;
  private final SessionCookie session;
  private final TokenService tokens;
  private final byte[] csrfKey;
  private final boolean secure;
  private final Pool pool;
  private final PageModel pageModel = new PageModel();

  Web(Vertx vertx, SessionCookie session, TokenService tokens, String secret, boolean secure, Pool pool) {
    PebbleEngine pebble = new PebbleEngine.Builder()
        .loader(new ClasspathLoader() {
          {
            setPrefix("templates");
          }
        })
        .autoEscaping(true)
        .strictVariables(false)
        .build();
    this.engine = PebbleTemplateEngine.create(vertx, "peb", pebble);
    this.session = session;
    this.tokens = tokens;
    this.csrfKey = ("csrf:" + secret).getBytes(StandardCharsets.UTF_8);
    this.secure = secure;
    this.pool = pool;
  }

  // ---- the prelude of every page route ------------------------------------------------------

  /** Reads the session, makes sure a CSRF cookie exists, refuses a non-GET request without the right token. */
  Handler<RoutingContext> prelude() {
    return ctx -> {
      ctx.put(STARTED, System.nanoTime());
      ctx.put(PAGE, Boolean.TRUE);
      ctx.response().putHeader("Cache-Control", "no-store");
      String csrfCookie = readCookie(ctx, csrfCookieName());
      if (csrfCookie == null) {
        csrfCookie = newCsrfCookie(ctx);
      }
      String token = session.read(ctx.request());
      String csrf = csrfCookie;
      String expected = csrfToken(csrf, token);
      ctx.put(CSRF, expected);
      if (ctx.request().method() != HttpMethod.GET && ctx.request().method() != HttpMethod.HEAD) {
        String sent = ctx.request().getFormAttribute(CSRF_FIELD);
        if (sent == null) {
          sent = ctx.request().getHeader(CSRF_HEADER);
        }
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
            expected.getBytes(StandardCharsets.UTF_8))) {
          ctx.fail(Problem.FORBIDDEN.exception(
              "This form has expired or did not come from this site; reload the page and try again"));
          return;
        }
      }
      if (token == null) {
        ctx.next();
        return;
      }
      tokens.verify(token).onComplete(ar -> {
        if (ar.succeeded()) {
          ctx.put(PRINCIPAL, ar.result());
        } else {
          ctx.response().addCookie(session.expired());
          ctx.put(CSRF, csrfToken(csrf, null)); // the browser drops the session: forms shown now go without it
        }
        ctx.next();
      });
    };
  }

  private String csrfCookieName() {
    return secure ? "__Host-pa_csrf" : "pa_csrf";
  }

  private static String readCookie(RoutingContext ctx, String name) {
    Cookie c = ctx.request().getCookie(name);
    return c == null || c.getValue().isBlank() ? null : c.getValue();
  }

  /** Sets a fresh random CSRF cookie and returns its value. */
  private String newCsrfCookie(RoutingContext ctx) {
    String value = randomToken();
    ctx.response().addCookie(Cookie.cookie(csrfCookieName(), value).setPath("/").setHttpOnly(true)
        .setSecure(secure).setSameSite(CookieSameSite.STRICT));
    return value;
  }

  /** The form token: the HMAC of the CSRF cookie and the session cookie (none before signing in). */
  private String csrfToken(String csrfCookie, String sessionToken) {
    return hmac(csrfCookie + "\n" + (sessionToken == null ? "" : sessionToken));
  }

  private String hmac(String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(csrfKey, "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static String randomToken() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  // ---- session ---------------------------------------------------------------------------------

  static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  /**
   * Starts (or replaces) the browser session with a token for {@code p}. A token it replaces (signing in
   * again, Log in to a customer, Leave) is ended, so a copy of it stops working too.
   */
  void signIn(RoutingContext ctx, Principal p) {
    String previous = session.read(ctx.request());
    String token = tokens.issue(p);
    ctx.response().addCookie(session.create(token, tokens.tokenSeconds()));
    // a new session gets a new CSRF cookie, so no token shown before (to anyone) works in it
    ctx.put(CSRF, csrfToken(newCsrfCookie(ctx), token));
    if (previous != null) {
      tokens.revoke(pool, previous).onFailure(err -> LOG.warn("could not record a replaced session as ended", err));
    }
  }

  /** Signing out ends the session: the cookie is cleared and its token refused from now on, on every instance. */
  Future<Void> signOut(RoutingContext ctx) {
    String token = session.read(ctx.request());
    ctx.response().addCookie(session.expired());
    ctx.put(CSRF, csrfToken(newCsrfCookie(ctx), null));
    return token == null ? Future.succeededFuture() : tokens.revoke(pool, token);
  }

  TokenService tokens() {
    return tokens;
  }

  // ---- flash -----------------------------------------------------------------------------------

  /**
   * The kinds of flash message, each with its own style: "ok" (success, green), "warning" (amber: access turned off,
   * a request denied), "danger" (red: a disconnection, a cancellation) and "error" (the action failed).
   */
  static final java.util.Set<String> FLASH_KINDS = java.util.Set.of("ok", "warning", "danger", "error");

  /** A message for the next page: kind is one of {@link #FLASH_KINDS}. */
  void flash(RoutingContext ctx, String kind, String text) {
    String value = Base64.getUrlEncoder().withoutPadding()
        .encodeToString((kind + "\n" + text).getBytes(StandardCharsets.UTF_8));
    ctx.response().addCookie(Cookie.cookie("pa_flash", value).setPath("/").setHttpOnly(true).setSecure(secure)
        .setSameSite(CookieSameSite.LAX).setMaxAge(120));
  }

  private Map<String, String> takeFlash(RoutingContext ctx) {
    String raw = readCookie(ctx, "pa_flash");
    if (raw == null) {
      return null;
    }
    ctx.response().addCookie(Cookie.cookie("pa_flash", "").setPath("/").setHttpOnly(true).setSecure(secure)
        .setSameSite(CookieSameSite.LAX).setMaxAge(0));
    try {
      String s = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
      int nl = s.indexOf('\n');
      if (nl < 0) {
        return null;
      }
      String kind = s.substring(0, nl);
      return Map.of("kind", FLASH_KINDS.contains(kind) ? kind : "ok", "text", s.substring(nl + 1));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Post/redirect/get: a 303 to {@code location} with a flash message. */
  Future<Void> redirect(RoutingContext ctx, String location, String kind, String text) {
    if (text != null) {
      flash(ctx, kind, text);
    }
    return ctx.response().setStatusCode(303).putHeader("Location", location).end();
  }

  Future<Void> redirect(RoutingContext ctx, String location) {
    return redirect(ctx, location, null, null);
  }

  // ---- rendering -------------------------------------------------------------------------------

  /** The common model of every page (where the header's unread count comes from, R27). */
  PageModel pageModel() {
    return pageModel;
  }

  /** Renders {@code pages/<name>.peb} (or another folder when the name has one) with the common model. */
  Future<Void> render(RoutingContext ctx, int status, String template, Map<String, Object> model) {
    return pageModel.complete(ctx, template, model, takeFlash(ctx))
        .compose(m -> engine.render(m, template.contains("/") ? template : "pages/" + template))
        .compose(html -> {
          Long started = ctx.get(STARTED);
          if (started != null) {
            ctx.response().putHeader("Server-Timing",
                String.format(Locale.ROOT, "app;dur=%.1f", (System.nanoTime() - started) / 1_000_000.0));
          }
          return ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8").end(html);
        });
  }

  Future<Void> render(RoutingContext ctx, String template, Map<String, Object> model) {
    return render(ctx, 200, template, model);
  }

  /** Wraps a Future-returning page handler: any failure goes to the failure handler (HTML error page). */
  static Handler<RoutingContext> page(Function<RoutingContext, Future<?>> handler) {
    return ctx -> {
      Future<?> f;
      try {
        f = handler.apply(ctx);
      } catch (RuntimeException e) {
        ctx.fail(e);
        return;
      }
      f.onFailure(ctx::fail);
    };
  }

  // ---- words -------------------------------------------------------------------------------------

  /** A query-string value, URL-encoded. */
  static String enc(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** "2026-03-03T10:00:00Z" → "3 March 2026": refusals read as sentences. */
  static String humanDates(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = ISO_INSTANT.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      try {
        replacement = DAY.format(Instant.parse(m.group()));
      } catch (RuntimeException e) {
        replacement = m.group();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  static String day(Instant i) {
    return i == null ? null : DAY.format(i);
  }

  /**
   * For {@code recover}: a refusal shows the form again with its status and reason (the page keeps what
   * was typed); any other failure goes on to the one failure handler.
   */
  static <T> Function<Throwable, Future<T>> showAgain(Function<DomainException, Future<?>> page) {
    return err -> err instanceof DomainException de ? page.apply(de).mapEmpty() : Future.failedFuture(err);
  }

  /**
   * Calls a service and, on success, {@code then}; a VALIDATION_FAILED refusal (thrown or failed) shows the form
   * again with the reason and what was typed instead of the generic error page. Other refusals fail the result.
   */
  static <T> Future<Void> orShowAgain(java.util.function.Supplier<Future<T>> call,
                                      Function<DomainException, Future<?>> form, Function<T, Future<?>> then) {
    Future<T> f;
    try {
      f = call.get();
    } catch (DomainException de) {
      if (de.problem() != com.partneraccess.bus.Problem.VALIDATION_FAILED) {
        throw de;
      }
      f = Future.failedFuture(de);
    }
    return f.transform(ar -> {
      if (ar.succeeded()) {
        return then.apply(ar.result()).<Void>mapEmpty();
      }
      if (ar.cause() instanceof DomainException de && de.problem() == com.partneraccess.bus.Problem.VALIDATION_FAILED) {
        return form.apply(de).<Void>mapEmpty();
      }
      return Future.failedFuture(ar.cause());
    });
  }

  static String problemText(Throwable err) {
    if (err instanceof DomainException de) {
      return humanDates(de.getMessage());
    }
    return null;
  }

  /** JSON rows as maps, which templates can read ({@code row.name}); a JsonObject is not a Map to Pebble. */
  static java.util.List<java.util.Map<String, Object>> rows(io.vertx.core.json.JsonArray array) {
    java.util.List<java.util.Map<String, Object>> out = new java.util.ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      out.add(array.getJsonObject(i).getMap());
    }
    return out;
  }
}
