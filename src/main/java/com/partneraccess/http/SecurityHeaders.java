package com.partneraccess.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;

/**
 * Headers every response carries: no sniffing, no framing, a strict content security policy. The pages' scripts may
 * connect only to this origin: {@code connect-src 'self'} plus the WebSocket origin of {@code http.publicUrl}
 * ({@code ws://host:port} or {@code wss://host}), named exactly because older browsers do not count ws: as 'self'.
 */
final class SecurityHeaders {
  private SecurityHeaders() {}

  static Handler<RoutingContext> forPublicUrl(String publicUrl) {
    String csp = policy(publicUrl);
    return ctx -> {
      ctx.response()
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("X-Frame-Options", "DENY")
          .putHeader("Referrer-Policy", "same-origin")
          .putHeader("Content-Security-Policy", csp);
      ctx.next();
    };
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
