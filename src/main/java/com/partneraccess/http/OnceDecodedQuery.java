package com.partneraccess.http;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.openapi.validation.RequestUtils;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Works around a defect of vertx-openapi 5.0.10: {@code RequestUtils.extractQuery} URL-decodes the values of
 * {@code request.params()}, which Vert.x has already decoded once. A search for {@code %} was refused (a lone
 * percent sign is not a valid escape), and {@code %7B} became {@code {} and then a JSON error. The extractor below
 * hands the library a request whose query values are encoded once more, so its second decoding gives back exactly
 * what the client sent. Everything else (path, headers, cookies, body) is the library's own extraction.
 */
final class OnceDecodedQuery {
  private OnceDecodedQuery() {}

  /** Like {@link RequestExtractor#withBodyHandler()}, with the query decoded once. */
  static RequestExtractor extractor() {
    return (ctx, operation) -> {
      HttpServerRequest request = ctx.request();
      HttpServerRequest once = request instanceof HttpServerRequestInternal internal ? new Encoded(internal) : request;
      return RequestUtils.extract(once, operation, () -> Future.succeededFuture(ctx.body().buffer()));
    };
  }

  /** The request with its query values URL-encoded again, for a reader that decodes them. */
  private static final class Encoded extends HttpServerRequestWrapper {
    Encoded(HttpServerRequestInternal delegate) {
      super(delegate);
    }

    @Override
    public MultiMap params(boolean semicolonIsNormalChar) {
      MultiMap encoded = MultiMap.caseInsensitiveMultiMap();
      for (Map.Entry<String, String> e : super.params(semicolonIsNormalChar)) {
        encoded.add(e.getKey(), URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      }
      return encoded;
    }

    @Override
    public MultiMap params() {
      return params(false);
    }
  }
}
