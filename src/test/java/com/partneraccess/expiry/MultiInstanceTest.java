package com.partneraccess.expiry;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ApiClient.Customer;
import com.partneraccess.support.ApiClient.PartnerUser;
import com.partneraccess.support.LiveClient;
import com.partneraccess.support.TestApp;
import com.partneraccess.support.TestSql;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Two instances on one database behave as one service")
class MultiInstanceTest {
  static final int DUE = 5_000;
  static TestApp app1;
  static TestApp app2;
  static TestSql sql;
  static Vertx client;

  @BeforeAll
  static void start() {
    JsonObject overrides = new JsonObject().put("expiry", new JsonObject().put("sweepSeconds", 3600).put("batchSize", 200));
    app1 = TestApp.start(overrides);
    app2 = TestApp.start(overrides, app1.databaseUrl, app1.clock);
    sql = new TestSql(app1.databaseUrl);
    client = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    client.close().await();
    sql.close();
    app2.close();
    app1.close();
  }

  @Test
  @DisplayName("R17, R7: a banner raised through instance A reaches a socket held by instance B within one second, and "
      + "so does the cut-off")
  void bannerCrossesInstances() {
    // R17 R7
    ApiClient a = app1.api();
    ApiClient b = app2.api();
    PartnerUser partner = a.signUpPartner("Cross Partners");
    Customer customer = a.signUpCustomer("Cross Bakery", null);
    a.connectByInvite(partner, customer);
    String session = b.session(partner, customer.accountId());
    try (LiveClient owner = LiveClient.connect(client, app2.port, "/ws?token=" + customer.token(),
             Map.of("Origin", app2.baseUrl()));
         LiveClient partnerSocket = LiveClient.connect(client, app2.port, "/ws",
             Map.of("Authorization", "Bearer " + session))) {
      ApiClient.expect(a.setAccess(customer, partner.partnerId(), false), 200);
      assertThat(partnerSocket.next("access_ended", Duration.ofSeconds(1))).as("cut-off across instances").isNotNull();

      long sent = System.nanoTime();
      ApiClient.expect(a.post("/api/v1/partner/customers/" + customer.accountId() + "/access-requests",
          partner.token(), new JsonObject().put("reason", "To close the month")), 201);
      JsonObject banner = owner.next("banner", Duration.ofSeconds(1));
      assertThat(banner).isNotNull();
      assertThat(Duration.ofNanos(System.nanoTime() - sent).toMillis()).isLessThan(1000);
      assertThat(banner.getJsonObject("banner").getString("kind")).isEqualTo("access_requested");
      assertThat(owner.next("banner", Duration.ofMillis(300))).as("delivered once, not once per instance").isNull();
    }
  }

  @Test
  @DisplayName("R11, R23: sweeps running on both instances at once expire each due row exactly once")
  void concurrentSweepsExpireOnce() {
    // R11 R23
    UUID partnerId = sql.seedDueConnections(DUE, app1.clock.now());
    Future<ExpiryVerticle.Sweep> one = new ExpiryClient(app1.vertx).sweepNow();
    Future<ExpiryVerticle.Sweep> two = new ExpiryClient(app2.vertx).sweepNow();
    Future.all(one, two).await();
    assertThat(one.result().expired() + two.result().expired()).isEqualTo(DUE);
    assertThat(sql.count("SELECT count(*) FROM connections WHERE partner_id = $1 AND access = 'expired'", partnerId))
        .isEqualTo(DUE);
    assertThat(sql.count("SELECT count(*) FROM activity WHERE partner_id = $1 AND kind = 'access.expired'", partnerId))
        .isEqualTo(DUE);
    assertThat(sql.count("SELECT count(DISTINCT account_id) FROM banners WHERE partner_id = $1 AND kind = 'access_expired'",
        partnerId)).isEqualTo(DUE);
    assertThat(sql.count("SELECT count(*) FROM banners WHERE partner_id = $1 AND kind = 'access_expired'", partnerId))
        .isEqualTo(DUE);
  }
}
