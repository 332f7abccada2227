package com.partneraccess.support;

import com.partneraccess.db.EmbeddedDatabase;

import java.nio.file.Path;

/**
 * Run in a child JVM by the fault tests: starts the service's embedded PostgreSQL on the folder in args[0] (kept,
 * durable, as the service does), prints {@code READY <pid>} and waits for its standard input to close, so the test
 * can kill this JVM with SIGKILL and leave the postmaster behind as an orphan.
 */
public final class EmbeddedPostgresChild {
  private EmbeddedPostgresChild() {}

  public static void main(String[] args) throws Exception {
    EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(args[0]), 0, true);
    System.out.println("READY " + db.pid() + " " + db.port());
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait until killed
    }
  }
}
