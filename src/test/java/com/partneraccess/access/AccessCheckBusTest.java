package com.partneraccess.access;

import com.partneraccess.bus.Addresses;
import com.partneraccess.bus.DomainException;
import com.partneraccess.bus.Problem;
import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ServiceTest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static com.partneraccess.support.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access check answers the same on both routes: on the asking loop's own consumer (records and a promise) and on
 * {@code rules.check} (JSON request and reply, for any other caller).
 */
@DisplayName("Access checks: the same answer on the loop-local route and on rules.check")
class AccessCheckBusTest extends ServiceTest {
  /** Whether the last {@link #onLoop} call found its loop's own consumer. */
  static final AtomicReference<Boolean> ROUTED_LOCALLY = new AtomicReference<>();
  /** Whether what followed the last {@link #onLoop} check ran in the caller's context (not the consumer's). */
  static final AtomicReference<Boolean> ANSWERED_ON_CALLERS_CONTEXT = new AtomicReference<>();

  @Test
  @DisplayName("R7 R14 a check started after the disable committed is refused on both routes; before it, both grant")
  void bothRoutesSeeTheDisable() throws Exception {
    ApiClient.PartnerUser partner = api.signUpPartner("Two Routes Partners");
    ApiClient.Customer customer = api.signUpCustomer("Two Routes Roofing", null);
    api.connectByInvite(partner, customer);
    UUID partnerId = UUID.fromString(partner.partnerId());
    UUID userId = UUID.fromString(partner.userId());
    UUID accountId = UUID.fromString(customer.accountId());

    AccessGrant local = onLoop(partnerId, userId, accountId).await(10, TimeUnit.SECONDS);
    assertThat(ROUTED_LOCALLY.get()).as("sent to the loop's own consumer").isTrue();
    assertThat(ANSWERED_ON_CALLERS_CONTEXT.get()).as("the answer is handled in the caller's context").isTrue();
    JsonObject shared = shared(partnerId, userId, accountId).await(10, TimeUnit.SECONDS);
    assertThat(local.businessName()).isEqualTo("Two Routes Roofing");
    assertThat(AccessGrant.fromJson(shared)).isEqualTo(local);

    expect(api.setAccess(customer, partner.partnerId(), false), 200);

    Future<AccessGrant> refusedLocally = onLoop(partnerId, userId, accountId);
    assertThat(refusedLocally.toCompletionStage().handle((g, e) -> e).toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.problem()).isEqualTo(Problem.ACCESS_DISABLED));
    Throwable refusedShared = shared(partnerId, userId, accountId).toCompletionStage().handle((j, e) -> e)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(refusedShared).isInstanceOfSatisfying(ReplyException.class, e -> {
      assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
      assertThat(e.failureCode()).isEqualTo(Problem.ACCESS_DISABLED.code);
    });
  }

  /** The check as a request handler makes it: from an event loop, which has its own consumer. */
  private static Future<AccessGrant> onLoop(UUID partnerId, UUID userId, UUID accountId) {
    Context loop = app.vertx.getOrCreateContext();
    Promise<AccessGrant> result = Promise.promise();
    loop.runOnContext(v -> {
      ROUTED_LOCALLY.set(LoopLocalChecks.forCurrentThread() != null);
      new AccessClient(app.vertx).check(partnerId, userId, accountId).onComplete(ar -> {
        ANSWERED_ON_CALLERS_CONTEXT.set(io.vertx.core.Vertx.currentContext() == loop);
        result.handle(ar);
      });
    });
    return result.future();
  }

  /** The check as any other caller makes it: a JSON request to rules.check. */
  private static Future<JsonObject> shared(UUID partnerId, UUID userId, UUID accountId) {
    return app.vertx.eventBus().<JsonObject>request(Addresses.RULES_CHECK,
        new CheckRequest(partnerId, userId, accountId).toJson()).map(m -> m.body());
  }
}
