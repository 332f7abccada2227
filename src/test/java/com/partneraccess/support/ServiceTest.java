package com.partneraccess.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class that talks to its own service and database, started with the test configuration. */
public abstract class ServiceTest {
  protected static TestApp app;
  protected static ApiClient api;

  @BeforeAll
  static void startService() {
    app = TestApp.start();
    api = app.api();
  }

  @AfterAll
  static void stopService() {
    app.close();
  }
}
