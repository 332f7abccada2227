package com.partneraccess.http;

import com.partneraccess.bus.Problem;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * Refuses, before any handler, text no handler should ever see: a NUL character (U+0000) anywhere in the query,
 * a form field or a JSON body's keys and strings. PostgreSQL cannot store it (SQLSTATE 22021) and no name, e-mail
 * or reason needs it; refusing it here, for the API and the pages alike, means no operation stops half-way on
 * it. (The failure handler still turns a 22021 from the database into a 400, should one get past.)
 */
public final class InputGuard implements Handler<RoutingContext> {
  static final String NUL = "Text may not contain the NUL character (U+0000)";

  @Override
  public void handle(RoutingContext ctx) {
    MultiMap query;
    try {
      query = ctx.queryParams();
    } catch (IllegalArgumentException e) {
      ctx.fail(Problem.VALIDATION_FAILED.exception("The query string is not correctly %-encoded"));
      return;
    }
    if (hasNul(query) || hasNul(ctx.request().formAttributes()) || jsonHasNul(ctx)) {
      ctx.fail(Problem.VALIDATION_FAILED.exception(NUL));
      return;
    }
    ctx.next();
  }

  private static boolean hasNul(MultiMap map) {
    for (Map.Entry<String, String> e : map) {
      if (e.getKey().indexOf('\0') >= 0 || (e.getValue() != null && e.getValue().indexOf('\0') >= 0)) {
        return true;
      }
    }
    return false;
  }

  private static boolean jsonHasNul(RoutingContext ctx) {
    RequestBody body = ctx.body();
    String type = ctx.request().getHeader("Content-Type");
    if (body == null || body.length() == 0 || type == null || !type.contains("json")) {
      return false;
    }
    try {
      return hasNul(Json.decodeValue(body.buffer()));
    } catch (DecodeException | ClassCastException e) {
      return false; // not JSON: the API's validation says so
    }
  }

  private static boolean hasNul(Object value) {
    if (value instanceof String s) {
      return s.indexOf('\0') >= 0;
    }
    if (value instanceof JsonObject o) {
      for (Map.Entry<String, Object> e : o) {
        if (e.getKey().indexOf('\0') >= 0 || hasNul(e.getValue())) {
          return true;
        }
      }
    } else if (value instanceof JsonArray a) {
      for (Object item : a) {
        if (hasNul(item)) {
          return true;
        }
      }
    }
    return false;
  }
}
