package com.partneraccess.http;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;

/**
 * The browser session: the JWT in an HttpOnly, SameSite=Lax cookie; {@code Secure} with the {@code __Host-}
 * name when the service is served over HTTPS ({@code http.publicUrl} starts with https). Pages and the
 * WebSocket handshake read it from here.
 */
public final class SessionCookie {
  public static final String PLAIN_NAME = "pa_session";
  public static final String SECURE_NAME = "__Host-pa_session";

  private final boolean secure;

  public SessionCookie(String publicUrl) {
    this.secure = publicUrl != null && publicUrl.startsWith("https://");
  }

  public String name() {
    return secure ? SECURE_NAME : PLAIN_NAME;
  }

  /** The token in the request's session cookie, or null. */
  public String read(HttpServerRequest request) {
    Cookie c = request.getCookie(name());
    return c == null || c.getValue().isBlank() ? null : c.getValue();
  }

  public Cookie create(String token, int maxAgeSeconds) {
    return Cookie.cookie(name(), token).setHttpOnly(true).setSecure(secure).setPath("/")
        .setSameSite(CookieSameSite.LAX).setMaxAge(maxAgeSeconds);
  }

  public Cookie expired() {
    return Cookie.cookie(name(), "").setHttpOnly(true).setSecure(secure).setPath("/")
        .setSameSite(CookieSameSite.LAX).setMaxAge(0);
  }
}
