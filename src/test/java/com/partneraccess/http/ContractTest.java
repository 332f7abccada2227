package com.partneraccess.http;

import com.partneraccess.support.ApiClient;
import com.partneraccess.support.ServiceTest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The served OpenAPI document matches the routes")
class ContractTest extends ServiceTest {
  @Test
  @DisplayName("Every documented operation is routed, and none answers 500 to an empty anonymous call")
  void everyOperationIsRouted() throws Exception {
    ApiClient.Reply doc = api.get("/openapi.yaml", null);
    assertThat(doc.status()).isEqualTo(200);
    JsonObject contract = ApiContract.read();
    JsonObject paths = contract.getJsonObject("paths");
    List<String> checked = new ArrayList<>();
    for (Map.Entry<String, Object> path : paths) {
      JsonObject ops = (JsonObject) path.getValue();
      for (String method : ops.fieldNames()) {
        if (!Set.of("get", "post", "put", "delete", "patch").contains(method)) {
          continue;
        }
        String concrete = "/api/v1" + path.getKey().replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
        ApiClient.Reply r = api.call(method.toUpperCase(), concrete, null, "{}");
        String where = method.toUpperCase() + " " + path.getKey() + " → " + r;
        assertThat(r.status()).as(where).isLessThan(500).isNotEqualTo(405);
        if (r.status() == 404) {
          // a 404 must come from the operation (unknown id, switched-off feature), not from a missing route
          assertThat(r.json().getString("detail")).as(where).isNotEqualTo("Not found");
        }
        assertThat(r.header("Content-Type")).as(where).containsAnyOf("application/json", "application/problem+json");
        checked.add(where);
      }
    }
    assertThat(checked).hasSizeGreaterThan(40);
  }

  @Test
  @DisplayName("A path the document does not name is a 404 problem")
  void unknownPath() {
    ApiClient.Reply r = api.get("/api/v1/not-a-route", null);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.reason()).isEqualTo("NOT_FOUND");
  }
}
