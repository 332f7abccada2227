package com.partneraccess.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.handler.InputTrustHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Style;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidationContext;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.analyser.ContentAnalyser;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatedRequestImpl;
import io.vertx.openapi.validation.transformer.FormTransformer;
import io.vertx.openapi.validation.transformer.LabelTransformer;
import io.vertx.openapi.validation.transformer.MatrixTransformer;
import io.vertx.openapi.validation.transformer.ParameterTransformer;
import io.vertx.openapi.validation.transformer.SimpleTransformer;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import static io.vertx.openapi.validation.SchemaValidationException.createErrorFromOutputUnitType;
import static io.vertx.openapi.validation.SchemaValidationException.createInvalidValueBody;
import static io.vertx.openapi.validation.ValidatorException.createMissingRequiredParameter;
import static io.vertx.openapi.validation.ValidatorException.createUnsupportedValueFormat;

/**
 * Validates every API request against {@code openapi.yaml} exactly as vertx-openapi's {@code RequestValidatorImpl}
 * does (same transformers, same schemas, same exceptions, so {@link FailureHandler} answers the same problems), but
 * with one schema validator per parameter and per request body built once, at start-up, and run on the calling
 * event loop.
 *
 * <p>Why: in vertx-openapi / vertx-json-schema 5.0.x (and still on their main branches) the validator asks the
 * schema repository for a <em>new</em> {@code SchemaValidatorImpl} for every parameter and body of every request,
 * and each one copies the repository's whole schema lookup map ({@code new HashMap<>(lookup)}); it also sends this
 * pure, microsecond-sized CPU work to a worker thread through {@code executeBlocking}. Under load that was 44–54 %
 * of the service's CPU samples. The validators are immutable once built, so one instance serves every event loop.
 */
final class ContractValidator extends RequestValidatorImpl {
  /** What {@code ParameterTransformer.transformPrimitive} keeps as text without parsing (it compiles this per call). */
  private static final Pattern WORD = Pattern.compile("\\w+");
  /** An integer as JSON spells it, small enough for an {@code int}: Jackson reads it as that {@link Integer}. */
  private static final Pattern SMALL_INT = Pattern.compile("0|-?[1-9][0-9]{0,8}");
  private final Map<JsonSchema, Validator> validators = new IdentityHashMap<>();
  private final Map<Style, ParameterTransformer> transformers = new EnumMap<>(Style.class);
  /**
   * Per parameter of the contract, the short values (up to {@link #ACCEPTED_LENGTH} characters) that validated, with
   * what they were read as: validating a value against a schema always gives the same answer, so {@code limit=50}
   * is read and checked once, not on every request. Bounded ({@link #ACCEPTED_MAX} a parameter, emptied when full);
   * refused values are never remembered, so each refusal is worked out and explained afresh.
   */
  private final Map<Parameter, Map<String, Object>> accepted = new IdentityHashMap<>();
  static final int ACCEPTED_LENGTH = 24;
  static final int ACCEPTED_MAX = 256;

  ContractValidator(Vertx vertx, OpenAPIContract contract) {
    super(vertx, contract);
    transformers.put(Style.SIMPLE, new SimpleTransformer());
    transformers.put(Style.LABEL, new LabelTransformer());
    transformers.put(Style.MATRIX, new MatrixTransformer());
    transformers.put(Style.FORM, new FormTransformer());
    for (Operation operation : contract.operations()) {
      for (Parameter parameter : operation.getParameters()) {
        precompile(parameter.getSchema());
        accepted.put(parameter, new java.util.concurrent.ConcurrentHashMap<>());
      }
      if (operation.getRequestBody() != null) {
        for (MediaType mediaType : operation.getRequestBody().getContent().values()) {
          precompile(mediaType.getSchema());
        }
      }
    }
  }

  private void precompile(JsonSchema schema) {
    if (schema != null) {
      validators.computeIfAbsent(schema, s -> contract.getSchemaRepository().validator(s));
    }
  }

  /** The validator built at start-up for this schema of the contract (a new one only for a schema it never saw). */
  Validator validatorFor(JsonSchema schema) {
    Validator validator = validators.get(schema);
    return validator != null ? validator : contract.getSchemaRepository().validator(schema);
  }

  boolean isPrecompiled(JsonSchema schema) {
    return validators.containsKey(schema);
  }

  /**
   * The route handler: extracts the request as the router's own validation does, validates it and stores the result
   * under {@link RouterBuilder#KEY_META_DATA_VALIDATED_REQUEST}. An {@link InputTrustHandler}, like the router's.
   */
  InputTrustHandler handler(RequestExtractor extractor, Operation operation) {
    return ctx -> extractor.extractValidatableRequest(ctx, operation)
        .compose(request -> validate(request, operation))
        .onSuccess(validated -> {
          ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
          ctx.next();
        })
        .onFailure(ctx::fail);
  }

  @Override
  public Future<ValidatedRequest> validate(ValidatableRequest request, String operationId) {
    return getOperation(operationId).compose(operation -> validate(request, operation));
  }

  private Future<ValidatedRequest> validate(ValidatableRequest request, Operation operation) {
    try {
      return Future.succeededFuture(validateNow(request, operation));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private ValidatedRequest validateNow(ValidatableRequest request, Operation operation) {
    Map<String, RequestParameter> cookies = new HashMap<>(request.getCookies().size());
    Map<String, RequestParameter> headers = new HashMap<>(request.getHeaders().size());
    Map<String, RequestParameter> path = new HashMap<>(request.getPathParameters().size());
    Map<String, RequestParameter> query = new HashMap<>(request.getQuery().size());
    for (Parameter param : operation.getParameters()) {
      switch (param.getIn()) {
        case COOKIE -> cookies.put(param.getName(), validateParameter(param, request.getCookies().get(param.getName())));
        case HEADER -> headers.put(param.getName(), validateParameter(param, request.getHeaders().get(param.getName())));
        case PATH -> path.put(param.getName(), validateParameter(param, request.getPathParameters().get(param.getName())));
        case QUERY -> query.put(param.getName(), validateParameter(param, request.getQuery().get(param.getName())));
      }
    }
    RequestParameter body = validateBody(operation.getRequestBody(), request);
    return new ValidatedRequestImpl(cookies, headers, path, query, body);
  }

  @Override
  public RequestParameter validateParameter(Parameter parameter, RequestParameter value) throws ValidatorException {
    if (value == null || value.isNull()) {
      if (parameter.isRequired()) {
        throw createMissingRequiredParameter(parameter);
      }
      return new RequestParameterImpl(null);
    }
    ParameterTransformer transformer = transformers.get(parameter.getStyle());
    if (transformer == null) {
      throw createUnsupportedValueFormat(parameter);
    }
    String raw = String.valueOf(value.get());
    Map<String, Object> accepted = raw.length() <= ACCEPTED_LENGTH ? this.accepted.get(parameter) : null;
    Object known = accepted == null ? null : accepted.get(raw);
    if (known != null) {
      return new RequestParameterImpl(known);
    }
    Object transformed = transform(transformer, parameter, raw);
    OutputUnit result = validatorFor(parameter.getSchema()).validate(transformed);
    try {
      result.checkValidity();
    } catch (JsonSchemaValidationException e) {
      throw createErrorFromOutputUnitType(parameter, result, e);
    }
    if (accepted != null && isImmutable(transformed)) {
      if (accepted.size() >= ACCEPTED_MAX) {
        accepted.clear(); // bounded; the values still in use are validated again and come back
      }
      accepted.put(raw, transformed);
    }
    return new RequestParameterImpl(transformed);
  }

  /** A value that validated can be handed to later requests as it is: text, a number or a boolean. */
  private static boolean isImmutable(Object value) {
    return value instanceof String || value instanceof Number || value instanceof Boolean;
  }

  /** How many distinct short values of one parameter are remembered as valid (tests). */
  int acceptedCount(Parameter parameter) {
    Map<String, Object> accepted = this.accepted.get(parameter);
    return accepted == null ? 0 : accepted.size();
  }

  /**
   * The transformer's result, without its cost for the common values: for a primitive parameter of the simple or form
   * style (neither overrides the library's {@code transformPrimitive}) the library keeps a word as text (matching
   * {@code \\w+}, compiled anew on each call) and otherwise parses the value as JSON with Jackson, quoting it and
   * parsing again when that fails; that cost a few per cent of a request. Here a word stays text, a small integer
   * becomes the {@link Integer} Jackson would give, and a text that starts with a letter JSON cannot start with and
   * holds no quote, backslash or control character is the text the library's second parse gives. Anything else goes
   * to the library. {@code ContractValidatorTest} checks the two agree on generated values.
   */
  static Object transform(ParameterTransformer transformer, Parameter parameter, String raw) {
    SchemaType type = parameter.getSchemaType();
    Style style = parameter.getStyle();
    if (type != SchemaType.OBJECT && type != SchemaType.ARRAY && (style == Style.SIMPLE || style == Style.FORM)) {
      if (type == SchemaType.STRING && (WORD.matcher(raw).matches() || plainText(raw))) {
        return raw;
      }
      if (SMALL_INT.matcher(raw).matches()) {
        return Integer.valueOf(raw);
      }
    }
    return transformer.transform(parameter, raw);
  }

  /** Text no JSON value starts like, with nothing that a JSON string would need escaped. */
  private static boolean plainText(String raw) {
    if (raw.isEmpty()) {
      return false;
    }
    char first = raw.charAt(0);
    boolean letter = (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z');
    if (!letter || "tfnNI".indexOf(first) >= 0) {
      return false;
    }
    for (int i = 1; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** The body, as {@code BaseValidator.validate} checks it, with the body schema's validator built at start-up. */
  @Override
  protected RequestParameterImpl validate(MediaType mediaType, String contentType, Buffer rawContent,
                                          ValidationContext requestOrResponse) {
    ContentAnalyser analyser = mediaType == null ? null
        : ContentAnalyser.getContentAnalyser(mediaType, contentType, rawContent, requestOrResponse);
    if (analyser == null) {
      throw new ValidatorException("The format of the " + requestOrResponse + " body is not supported",
          ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT);
    }
    analyser.checkSyntacticalCorrectness();
    if (!isSchemaValidationRequired(mediaType)) {
      return new RequestParameterImpl(rawContent);
    }
    Object transformed = analyser.transform();
    OutputUnit result = validatorFor(mediaType.getSchema()).validate(transformed);
    try {
      result.checkValidity();
      return new RequestParameterImpl(transformed);
    } catch (JsonSchemaValidationException e) {
      throw createInvalidValueBody(result, requestOrResponse, e);
    }
  }
}
