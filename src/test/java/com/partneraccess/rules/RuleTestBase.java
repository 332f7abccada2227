package com.partneraccess.rules;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Each rule test class gets its own service and database with the product's plans and tiers. */
abstract class RuleTestBase {
  static TestApp app;
  static ApiClient api;
  static RuleFixtures fx;

  @BeforeAll
  static void startService() {
    app = TestApp.start(RuleFixtures.productConfig());
    api = app.api();
    fx = new RuleFixtures(app);
  }

  @AfterAll
  static void stopService() {
    app.close();
  }
}
