package com.partneraccess.access;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.TestApp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("An access just before expiry is written at once, not with the next batch of touches")
class LastSecondAccessTest {
  static TestApp app;
  static ApiClient api;

  @BeforeAll
  static void start() {
    // a flush interval far longer than the test, so only the immediate write can explain what follows
    app = TestApp.start(new JsonObject().put("touch", new JsonObject().put("flushMillis", 600_000)));
    api = app.api();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  @DisplayName("R11 R14 R16 Seconds after the old expiry, lists and requests already see the access that extended it")
  void lastSecondAccessIsSeenEverywhere() {
    ApiClient.PartnerUser partner = api.signUpPartner("Last Second Partners");
    ApiClient.Customer customer = api.signUpCustomer("Last Second Locksmiths", null);
    api.connectByInvite(partner, customer);
    expect(api.createJobs(customer.token(), 100), 201);
    String session = api.session(partner, customer.accountId());

    api.advanceClock(60 - 5.0 / 86_400); // five seconds before the stored expiry
    expect(api.get("/api/v1/account/jobs?limit=1", session), 200);
    api.advanceClock(30.0 / 86_400); // now past the old expiry

    assertThat(api.customerOf(partner, customer.accountId()).getString("access")).isEqualTo("enabled");
    ApiClient.Reply request = api.post("/api/v1/partner/customers/" + customer.accountId() + "/access-requests",
        partner.token(), new JsonObject().put("reason", "To close the month"));
    assertThat(request.status()).isEqualTo(409);
    assertThat(request.reason()).isEqualTo("ACCESS_ALREADY_ENABLED");
    expect(api.get("/api/v1/account/jobs?limit=1", session), 200);
  }
}
