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

  /**
   * The fast path of {@link ContractValidator#transform} gives what the library's transformer gives (the same value, or
   * the same refusal) for every simple- or form-style parameter of the contract, on edge cases and generated values.
   */
  @Test
  @DisplayName("Parameter values are read as the library reads them, fast path or not (fixed and random seed)")
  void transformAgreesWithTheLibrary() {
    List<String> values = new ArrayList<>(List.of("", "0", "-0", "1", "-1", "007", "01", "123456789", "1234567890",
        "-123456789", "2147483647", "99999999999999999999", "1.5", "1e3", "true", "false", "null", "tru", "nul", "NaN",
        "Infinity", "abc", "a-b", "a b", "a\"b", "a\\b", "\"quoted\"", "x\u0001y", "é", "aé", "{}", "[]", "{\"a\":1}",
        "[1,2]", "_", "-", "--1", "+1", " 1", "1 ", "a\u007f", "Z\uD800", "am9icx8yMDI2LTEy", "2026-12-02",
        "2026-12-02T06:15:38Z", "0042", "100%", "%7B"));
    for (long seed : new long[] {20261202L, new java.util.Random().nextLong()}) {
      java.util.Random random = new java.util.Random(seed);
      String alphabet = "aAzZtfnNI019-_.\"\\{}[]:, é\u0001\u007f%+eE";
      List<String> generated = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        StringBuilder b = new StringBuilder();
        for (int n = random.nextInt(8); n >= 0; n--) {
          b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        generated.add(random.nextInt(4) == 0 ? Integer.toString(random.nextInt()) : b.toString());
      }
      generated.addAll(values);
      int compared = 0;
      for (Operation operation : contract.operations()) {
        for (Parameter parameter : operation.getParameters()) {
          io.vertx.openapi.validation.transformer.ParameterTransformer library = switch (parameter.getStyle()) {
            case SIMPLE -> new io.vertx.openapi.validation.transformer.SimpleTransformer();
            case FORM -> new io.vertx.openapi.validation.transformer.FormTransformer();
            default -> null;
          };
          if (library == null) {
            continue;
          }
          for (String raw : generated) {
            Object expected;
            Object actual;
            try {
              expected = library.transform(parameter, raw);
            } catch (ValidatorException e) {
              expected = "refused: " + e.getMessage();
            }
            try {
              actual = ContractValidator.transform(library, parameter, raw);
            } catch (ValidatorException e) {
              actual = "refused: " + e.getMessage();
            }
            assertThat(actual).as("seed %d, %s of %s, value [%s]", seed, parameter.getName(),
                operation.getOperationId(), raw).isEqualTo(expected);
            compared++;
          }
        }
      }
      assertThat(compared).as("seed %d", seed).isGreaterThan(1_000);
    }
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

  @Test
  @DisplayName("A short value that validated is remembered per parameter (bounded); a refused one is refused every time")
  void acceptedValuesAreRemembered() {
    ContractValidator fresh = new ContractValidator(vertx, contract);
    Operation op = contract.operations().stream()
        .filter(o -> o.getParameters().stream().anyMatch(p -> p.getName().equals("limit")))
        .findFirst().orElseThrow();
    Parameter limit = op.getParameters().stream().filter(p -> p.getName().equals("limit")).findFirst().orElseThrow();
    for (int i = 0; i < 3; i++) {
      assertThat(fresh.validateParameter(limit, new RequestParameterImpl("50")).getInteger()).isEqualTo(50);
      assertThatThrownBy(() -> fresh.validateParameter(limit, new RequestParameterImpl("500")))
          .as("refused on every request, never remembered").isInstanceOf(ValidatorException.class);
      assertThatThrownBy(() -> fresh.validateParameter(limit, new RequestParameterImpl("0")))
          .isInstanceOf(ValidatorException.class);
    }
    assertThat(fresh.acceptedCount(limit)).isEqualTo(1);
    Parameter text = contract.operations().stream().flatMap(o -> o.getParameters().stream())
        .filter(p -> p.getSchemaType() == io.vertx.json.schema.common.dsl.SchemaType.STRING
            && p.getSchema().get("maxLength") == null && p.getSchema().get("format") == null
            && p.getSchema().get("pattern") == null && p.getSchema().get("enum") == null)
        .findFirst().orElseThrow();
    String longValue = "a".repeat(ContractValidator.ACCEPTED_LENGTH + 1);
    fresh.validateParameter(text, new RequestParameterImpl(longValue));
    assertThat(fresh.acceptedCount(text)).as("long values are not remembered").isZero();
    for (int i = 0; i < ContractValidator.ACCEPTED_MAX + 50; i++) {
      fresh.validateParameter(text, new RequestParameterImpl("v" + i));
      assertThat(fresh.acceptedCount(text)).isLessThanOrEqualTo(ContractValidator.ACCEPTED_MAX);
    }
  }
}
