package com.partneraccess.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Checks made before anything starts, each failing with a one-line {@link ConfigException}: the type of every key an
 * override sets (against the type of the default), the numeric environment keys, the port being free, and a
 * JWT_SECRET wherever the service looks like production.
 */
public final class ConfigCheck {
  /** Top-level keys from system properties or the environment that must be whole numbers. */
  private static final String[] NUMERIC_KEYS = {"PORT", "http.port", "BCRYPT_COST", "SMTP_PORT"};

  private ConfigCheck() {}

  /** Every key {@code overrides} (read from {@code source}) sets must have the JSON type of its default. */
  public static void sameTypes(JsonObject defaults, JsonObject overrides, String source) {
    sameTypes(defaults, overrides, source, "");
  }

  private static void sameTypes(JsonObject defaults, JsonObject overrides, String source, String prefix) {
    for (Map.Entry<String, Object> e : overrides) {
      String key = prefix + e.getKey();
      // keys without a default (a new plan name, db.url) are not checked here
      Object expected = defaults.getValue(e.getKey());
      Object given = e.getValue();
      if (expected == null || given == null) {
        continue; // a key without a typed default (db.url, publicUrl) or an explicit null: AppConfig decides
      }
      String want = kind(expected);
      if (!want.equals(kind(given)) && !(expected instanceof Number && given instanceof Number)) {
        throw new ConfigException(source + ": " + key + " must be " + want + ", got " + show(given));
      }
      if (expected instanceof JsonObject d && given instanceof JsonObject g) {
        sameTypes(d, g, source, key + ".");
      }
    }
  }

  /** Whole-number keys given as text (system properties and environment values arrive as strings). */
  public static void numericKeys(JsonObject merged) {
    for (String key : NUMERIC_KEYS) {
      Object v = merged.getValue(key);
      if (v == null || v instanceof Integer || v instanceof Long) {
        continue;
      }
      String text = String.valueOf(v).trim();
      if (!text.matches("\\d{1,9}")) {
        throw new ConfigException(key + " must be a whole number, got " + show(v));
      }
    }
  }

  /** The HTTP port must be free before the database is started, so a port conflict fails in a second. */
  public static void portFree(int port) {
    if (port <= 0) {
      return;
    }
    if (port > 65_535) {
      throw new ConfigException("http.port (PORT) " + port + " is not a TCP port (1-65535)");
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port));
    } catch (IOException e) {
      throw portTaken(port);
    }
  }

  public static ConfigException portTaken(int port) {
    return new ConfigException("port " + port + " is already in use by another process"
        + " (set PORT or http.port to a free port)");
  }

  /**
   * With an https public URL or an external database the service is deployed for real: a random secret would
   * sign everyone out on every restart and differ between instances, so JWT_SECRET is required.
   */
  public static void productionSecret(AppConfig config) {
    if (!config.auth().secretGenerated()) {
      return;
    }
    if (config.http().publicUrl().startsWith("https://")) {
      throw new ConfigException("JWT_SECRET is not set: refusing to start with the https public URL "
          + config.http().publicUrl() + " (set JWT_SECRET to a random string of at least 32 characters)");
    }
    if (config.db().url() != null) {
      throw new ConfigException("JWT_SECRET is not set: refusing to start with an external database (DATABASE_URL)"
          + " (set JWT_SECRET to a random string of at least 32 characters)");
    }
  }

  private static String kind(Object v) {
    if (v instanceof Number) {
      return "a number";
    }
    if (v instanceof Boolean) {
      return "true or false";
    }
    if (v instanceof String) {
      return "a string";
    }
    if (v instanceof JsonArray) {
      return "a list";
    }
    if (v instanceof JsonObject) {
      return "an object";
    }
    return v.getClass().getSimpleName();
  }

  private static String show(Object v) {
    return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
  }
}
