package com.partneraccess.http;

import com.partneraccess.bus.Problem;
import com.partneraccess.authz.Principal;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.function.Function;

/** Helpers every API handler uses: the caller, the body, path ids, JSON replies, failures to ctx.fail. */
public final class Api {
  public static final String PRINCIPAL = "principal";
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

  private Api() {}

  /** Wraps a Future-returning handler: its result is the reply, any failure goes to the one failure handler. */
  public static Handler<RoutingContext> handle(Function<RoutingContext, Future<?>> handler) {
    return ctx -> {
      Future<?> result;
      try {
        result = handler.apply(ctx);
      } catch (RuntimeException e) {
        ctx.fail(e);
        return;
      }
      result.onFailure(ctx::fail);
    };
  }

  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  public static Principal requireSignedIn(RoutingContext ctx) {
    Principal p = principal(ctx);
    if (p == null) {
      throw Problem.UNAUTHENTICATED.exception("Sign in first: send Authorization: Bearer <token>");
    }
    return p;
  }

  public static Principal requirePartner(RoutingContext ctx) {
    Principal p = requireSignedIn(ctx);
    if (!p.isPartner()) {
      throw Problem.PARTNER_ONLY.exception("This is part of the partner portal; sign in as a partner");
    }
    return p;
  }

  public static JsonObject body(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().length() == 0) {
      return new JsonObject();
    }
    JsonObject json = ctx.body().asJsonObject();
    return json == null ? new JsonObject() : json;
  }

  public static UUID pathId(RoutingContext ctx, String name) {
    try {
      return UUID.fromString(ctx.pathParam(name));
    } catch (RuntimeException e) {
      throw Problem.VALIDATION_FAILED.exception(name + " must be a UUID");
    }
  }

  public static UUID uuidOrNull(String value, String name) {
    if (value == null) {
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw Problem.VALIDATION_FAILED.exception(name + " must be a UUID");
    }
  }

  /** The {@code limit} and {@code cursor} query parameters of a paged list. */
  public static com.partneraccess.bus.Cursor.PageRequest page(RoutingContext ctx) {
    return new com.partneraccess.bus.Cursor.PageRequest(intQuery(ctx, "limit", null), query(ctx, "cursor"));
  }

  /** A query parameter as given, or null. */
  public static String query(RoutingContext ctx, String name) {
    return ctx.request().getParam(name);
  }

  public static Integer intQuery(RoutingContext ctx, String name, Integer fallback) {
    String v = ctx.request().getParam(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw Problem.VALIDATION_FAILED.exception(name + " must be a whole number");
    }
  }

  public static Future<Void> ok(RoutingContext ctx, JsonObject json) {
    return reply(ctx, 200, json.encode());
  }

  public static Future<Void> ok(RoutingContext ctx, JsonArray json) {
    return reply(ctx, 200, json.encode());
  }

  public static Future<Void> created(RoutingContext ctx, JsonObject json) {
    return reply(ctx, 201, json.encode());
  }

  /** 202: the request is taken; what follows (an e-mail) happens afterwards. */
  public static Future<Void> accepted(RoutingContext ctx, JsonObject json) {
    return reply(ctx, 202, json.encode());
  }

  private static Future<Void> reply(RoutingContext ctx, int status, String body) {
    return ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body);
  }
}
