package com.partneraccess.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Loads {@code openapi.yaml}, the API's contract. The published document says errors are
 * {@code application/problem+json}; Vert.x OpenAPI 5.0 does not accept that media type in a contract, so
 * the copy the router is built from lists error bodies as {@code application/json}. Nor does it accept
 * {@code text/csv} (R32's activity export): the router's copy lists it as {@code text/plain}, which it is. Nothing else
 * differs.
 */
public final class ApiContract {
  public static final String RESOURCE = "openapi.yaml";

  private ApiContract() {}

  public static Future<OpenAPIContract> load(Vertx vertx) {
    return vertx.executeBlocking(ApiContract::readForRouter, false)
        .compose(json -> OpenAPIContract.from(vertx, json));
  }

  /** The document as published, as JSON. */
  public static JsonObject read() throws IOException {
    try (InputStream in = ApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException(RESOURCE + " is not on the classpath");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Map<String, Object> map = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
      return new JsonObject(map);
    }
  }

  static JsonObject readForRouter() throws IOException {
    JsonObject doc = read();
    rewriteProblemMediaType(doc);
    return doc;
  }

  private static void rewriteProblemMediaType(Object node) {
    if (node instanceof JsonObject o) {
      Object problem = o.remove("application/problem+json");
      if (problem != null) {
        o.put("application/json", problem);
      }
      Object csv = o.remove("text/csv");
      if (csv != null) {
        o.put("text/plain", csv);
      }
      o.forEach(e -> rewriteProblemMediaType(e.getValue()));
    } else if (node instanceof JsonArray a) {
      a.forEach(ApiContract::rewriteProblemMediaType);
    } else if (node instanceof Map<?, ?> m) {
      rewriteProblemMediaType(new JsonObject((Map<String, Object>) m));
    }
  }
}
