package com.partneraccess.expiry;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ServiceTest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The test clock can run the sweep right after moving time (demos)")
class TestClockSweepTest extends ServiceTest {
  @Test
  @DisplayName("R11 R14 Moving the clock 61 days with sweep expires the partner's access at once and tells the partner")
  void moveAndSweep() {
    ApiClient.PartnerUser partner = api.signUpPartner("Demo Sweep Partners");
    ApiClient.Customer customer = api.signUpCustomer("Demo Sweep Shop", null);
    api.connectByInvite(partner, customer);
    expect(api.createJobs(customer.token(), 100), 201);
    ApiClient.Reply moved = expect(api.post("/api/v1/test/clock", null,
        new JsonObject().put("days", 61).put("sweep", true)), 200);
    assertThat(moved.json().getJsonObject("sweep").getInteger("expired")).isGreaterThanOrEqualTo(1);
    assertThat(api.customerOf(partner, customer.accountId()).getString("access")).isEqualTo("expired");
    assertThat(api.get("/api/v1/partner/banners", partner.token()).array("banners").stream()
        .map(o -> ((JsonObject) o).getString("kind"))).contains("access_expired");
    ApiClient.Reply refused = api.post("/api/v1/partner/customers/" + customer.accountId() + "/sessions",
        partner.token(), null);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.reason()).isEqualTo("ACCESS_EXPIRED");
  }
}
