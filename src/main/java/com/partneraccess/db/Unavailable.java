package com.partneraccess.db;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Tells failures that mean "the database cannot be reached or did not answer in time" (the client should retry
 * later: 503) from failures of the request itself. Names each kind for {@link OutageLog}.
 */
public final class Unavailable {
  private Unavailable() {}

  public static boolean isDatabaseUnavailable(Throwable t) {
    return kind(t) != null;
  }

  /** PostgreSQL cancelled the statement on {@code statement_timeout} (57014): its transaction wrote nothing. */
  public static boolean isStatementTimeout(Throwable t) {
    return STATEMENT_TIMEOUT.equals(kind(t));
  }

  private static final String STATEMENT_TIMEOUT = "statement timeout (57014)";

  /** A short name of the kind of outage ({@code connection refused}, {@code statement timeout}, …), or null. */
  public static String kind(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String k = ownKind(c);
      if (k != null) {
        return k;
      }
    }
    return null;
  }

  private static String ownKind(Throwable t) {
    if (t instanceof PgException pg) {
      String state = pg.getSqlState() == null ? "" : pg.getSqlState();
      if (state.equals("57014")) {
        return STATEMENT_TIMEOUT;
      }
      if (state.startsWith("08") || state.startsWith("57P") || state.equals("53300")) {
        return "database not accepting connections (" + state + ")";
      }
      return null;
    }
    String message = t.getMessage() == null ? "" : t.getMessage();
    if (t instanceof ClosedConnectionException) {
      return "database connection closed";
    }
    if (t instanceof java.net.ConnectException) {
      return "database connection refused";
    }
    if (t instanceof TimeoutException || message.equals("Timeout") || message.startsWith("Timeout waiting for connection")
        || message.startsWith("Timed out")) {
      return "no database connection in time";
    }
    if (t instanceof io.vertx.core.http.ConnectionPoolTooBusyException || message.contains("Max waiter")
        || message.contains("too busy")) {
      return "database pool wait queue full";
    }
    if (t instanceof IOException) {
      return "database connection failed (" + t.getClass().getSimpleName() + ")";
    }
    if (t instanceof VertxException && (message.equals("closed") || message.contains("Connection closed"))) {
      return "database connection closed";
    }
    return null;
  }
}
