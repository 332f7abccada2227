package com.partneraccess.http;

import com.partneraccess.bus.Problem;
import com.partneraccess.identity.TokenService;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads {@code Authorization: Bearer <jwt>} when present and puts the verified {@link
 * com.partneraccess.authz.Principal} on the context. A request without a token continues anonymously
 * (each operation says what it needs); a bad, forged, expired or unsigned token is refused with 401.
 */
public final class AuthenticationHandler implements Handler<RoutingContext> {
  private final TokenService tokens;

  public AuthenticationHandler(TokenService tokens) {
    this.tokens = tokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || header.isBlank()) {
      ctx.next();
      return;
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      ctx.fail(Problem.TOKEN_INVALID.exception("Use Authorization: Bearer <token>"));
      return;
    }
    tokens.verify(header.substring(7).trim())
        .onSuccess(p -> {
          ctx.put(Api.PRINCIPAL, p);
          ctx.next();
        })
        .onFailure(ctx::fail);
  }
}
