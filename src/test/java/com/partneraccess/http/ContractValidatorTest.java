package com.partneraccess.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Request validation: every schema of the contract has one validator, built at start-up")
class ContractValidatorTest {
  private static Vertx vertx;
  private static OpenAPIContract contract;
  private static ContractValidator validator;

  @BeforeAll
  static void load() {
    vertx = Vertx.vertx();
    contract = ApiContract.load(vertx).await();
    validator = new ContractValidator(vertx, contract);
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  @Test
  @DisplayName("Every parameter and request body schema is precompiled, and the same validator serves every request")
  void everySchemaIsPrecompiled() {
    List<JsonSchema> schemas = new ArrayList<>();
    for (Operation operation : contract.operations()) {
      operation.getParameters().forEach(p -> schemas.add(p.getSchema()));
      if (operation.getRequestBody() != null) {
        for (MediaType mediaType : operation.getRequestBody().getContent().values()) {
          if (mediaType.getSchema() != null) {
            schemas.add(mediaType.getSchema());
          }
        }
      }
    }
    assertThat(schemas).isNotEmpty();
    for (JsonSchema schema : schemas) {
      assertThat(validator.isPrecompiled(schema)).as(schema.toString()).isTrue();
      assertThat(validator.validatorFor(schema)).isSameAs(validator.validatorFor(schema));
    }
  }

  @Test
  @DisplayName("A query parameter outside its schema is refused, a valid one passes, synchronously on the caller's thread")
  void queryParametersAreValidated() {
    Operation op = contract.operations().stream()
        .filter(o -> o.getParameters().stream().anyMatch(p -> p.getName().equals("limit")))
        .findFirst().orElseThrow();
    Parameter limit = op.getParameters().stream().filter(p -> p.getName().equals("limit")).findFirst().orElseThrow();
    assertThat(validator.validateParameter(limit, new RequestParameterImpl("1")).getInteger()).isEqualTo(1);
    assertThatThrownBy(() -> validator.validateParameter(limit, new RequestParameterImpl("-5")))
        .isInstanceOf(ValidatorException.class);
    assertThatThrownBy(() -> validator.validateParameter(limit, new RequestParameterImpl("many")))
        .isInstanceOf(ValidatorException.class);

    Map<String, RequestParameter> none = Map.of();
    ValidatableRequest request = new ValidatableRequestImpl(none, none, none, Map.of("limit", new RequestParameterImpl("2")));
    var done = validator.validate(request, op.getOperationId());
    assertThat(done.isComplete()).as("validated without a hop to a worker thread").isTrue();
    if (op.getParameters().stream().allMatch(p -> p.getName().equals("limit") || !p.isRequired())) {
      assertThat(done.succeeded()).as(String.valueOf(done.cause())).isTrue();
      ValidatedRequest validated = done.result();
      assertThat(validated.getQuery().get("limit").getInteger()).isEqualTo(2);
    }
  }

  @Test
  @DisplayName("A JSON body that breaks its schema is refused, one that keeps it passes (issueToken)")
  void bodiesAreValidated() {
    Map<String, RequestParameter> none = Map.of();
    ValidatableRequest missingPassword = new ValidatableRequestImpl(none, none, none, none,
        new RequestParameterImpl(new JsonObject().put("email", "a@b.test").toBuffer()), "application/json");
    var refused = validator.validate(missingPassword, "issueToken");
    assertThat(refused.failed()).isTrue();
    assertThat(refused.cause()).isInstanceOf(ValidatorException.class);

    ValidatableRequest complete = new ValidatableRequestImpl(none, none, none, none,
        new RequestParameterImpl(new JsonObject().put("email", "a@b.test").put("password", "x").toBuffer()),
        "application/json");
    var accepted = validator.validate(complete, "issueToken");
    assertThat(accepted.succeeded()).as(String.valueOf(accepted.cause())).isTrue();
    assertThat(accepted.result().getBody().getJsonObject().getString("email")).isEqualTo("a@b.test");
  }
}
