package com.partneraccess.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;

/**
 * Headers every response carries: no sniffing, no framing, a strict content security policy. The pages' scripts may
 * connect only to this origin: {@code connect-src 'self'} plus the WebSocket origin of {@code http.publicUrl}
 * ({@code ws://host:port} or {@code wss://host}), named exactly because older browsers do not count ws: as 'self'.
 */
final class SecurityHeaders {
  private SecurityHeaders() {}

  // names and values encoded once (HttpHeaders.createOptimized): every response writes them as they are
  private static final CharSequence NOSNIFF_NAME = HttpHeaders.createOptimized("X-Content-Type-Options");
  private static final CharSequence NOSNIFF = HttpHeaders.createOptimized("nosniff");
  private static final CharSequence FRAME_NAME = HttpHeaders.createOptimized("X-Frame-Options");
  private static final CharSequence DENY = HttpHeaders.createOptimized("DENY");
  private static final CharSequence REFERRER_NAME = HttpHeaders.createOptimized("Referrer-Policy");
  private static final CharSequence SAME_ORIGIN = HttpHeaders.createOptimized("same-origin");
  private static final CharSequence CSP_NAME = HttpHeaders.createOptimized("Content-Security-Policy");

  static Handler<RoutingContext> forPublicUrl(String publicUrl) {
    CharSequence csp = HttpHeaders.createOptimized(policy(publicUrl));
    return ctx -> {
      set(ctx.response().headers(), csp);
      ctx.next();
    };
  }

  /** Adds the same headers to {@code headers} (answers written before the router, e.g. a shed request's 503). */
  static MultiMap addTo(MultiMap headers, String publicUrl) {
    return set(headers, HttpHeaders.createOptimized(policy(publicUrl)));
  }

  /** The one list of the headers, for both. */
  private static MultiMap set(MultiMap headers, CharSequence csp) {
    return headers.set(NOSNIFF_NAME, NOSNIFF).set(FRAME_NAME, DENY).set(REFERRER_NAME, SAME_ORIGIN).set(CSP_NAME, csp);
  }

  static String policy(String publicUrl) {
    return "default-src 'self'; connect-src 'self'" + webSocketOrigin(publicUrl) + "; img-src 'self' data:; "
        + "style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";
  }

  /** " wss://host[:port]" for an https public URL, " ws://host[:port]" for http; nothing when there is none. */
  private static String webSocketOrigin(String publicUrl) {
    if (publicUrl == null || publicUrl.isBlank()) {
      return "";
    }
    URI uri = URI.create(publicUrl.strip());
    if (uri.getHost() == null) {
      return "";
    }
    String scheme = "https".equalsIgnoreCase(uri.getScheme()) ? "wss" : "ws";
    return " " + scheme + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
  }
}
