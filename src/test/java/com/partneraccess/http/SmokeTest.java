package com.partneraccess.http;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ServiceTest;
import com.partneraccess.support.TestApp;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The service starts on PostgreSQL and serves its API")
class SmokeTest extends ServiceTest {
  @Test
  @DisplayName("/health reports the database up, /openapi.yaml is served and /metrics speaks Prometheus to the operator only")
  void healthAndContract() {
    assertThat(api.get("/health", null).json().getString("database")).isEqualTo("UP");
    ApiClient.Reply doc = api.get("/openapi.yaml", null);
    assertThat(doc.status()).isEqualTo(200);
    assertThat(doc.body()).contains("operationId: logInToCustomer");
    ApiClient.Reply anonymous = api.get("/metrics", null);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.body()).doesNotContain("vertx_http_server_requests_total");
    assertThat(api.send("GET", "/metrics", java.util.Map.of("X-Ops-Token", "wrong-token"), null).status()).isEqualTo(401);
    ApiClient.Reply metrics = api.send("GET", "/metrics", java.util.Map.of("X-Ops-Token", TestApp.OPS_TOKEN), null);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("vertx_http_server_requests_total").contains("jvm_memory_used_bytes")
        // only what /metrics is read for: no meters updated on every bus message or TCP read of the hot path
        .doesNotContain("vertx_eventbus_").doesNotContain("vertx_net_server_").doesNotContain("vertx_http_client_")
        // http/RequestMeter: requests and their time by method and status, registered once; Vert.x's per-request
        // lookups of request and response bytes and of active requests are off
        .contains("vertx_http_server_requests_total{code=\"401\",method=\"GET\"")
        .contains("vertx_http_server_response_time_seconds_count{code=\"401\",method=\"GET\"")
        .doesNotContain("vertx_http_server_request_bytes").doesNotContain("vertx_http_server_response_bytes")
        .doesNotContain("vertx_http_server_active_requests");
    // Prometheus' own way: authorization.credentials in the scrape config
    assertThat(api.send("GET", "/metrics", java.util.Map.of("Authorization", "Bearer " + TestApp.OPS_TOKEN), null)
        .status()).isEqualTo(200);
  }

  @Test
  @DisplayName("A partner invites a customer, the owner accepts and the partner logs in (R1, R2, R6, R8)")
  void inviteAcceptLogIn() {
    PartnerUser partner = api.signUpPartner("Smoke Partners");
    Customer customer = api.signUpCustomer("Smoke Bakery", null);
    api.connectByInvite(partner, customer);
    assertThat(api.customerOf(partner, customer.accountId()).getString("access")).isEqualTo("enabled");
    String session = api.session(partner, customer.accountId());
    ApiClient.Reply account = api.get("/api/v1/account", session);
    assertThat(account.status()).isEqualTo(200);
    assertThat(account.json().getJsonObject("you").getString("role")).isEqualTo("partner");
  }
}
