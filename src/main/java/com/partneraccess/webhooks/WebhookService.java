package com.partneraccess.webhooks;

import com.partneraccess.bus.Input;
import com.partneraccess.bus.Problem;
import io.vertx.core.Future;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * THE home of the operator's webhook operations (R33): subscribe (the secret is generated here and shown once),
 * list, change (URL, events, active), read the delivery log, redeliver. The operator is authenticated by the
 * operator token before any of these is called (http/OpsApi); this class validates and carries out.
 */
public final class WebhookService {
  public static final int URL_MAX = 2000;
  /** Lists: at most this many subscriptions, deliveries or attempts per answer. */
  public static final int LIST_MAX = 200;
  private static final Set<String> STATUSES = Set.of("pending", "delivered", "failed");

  private final WebhookRepository repository;

  public WebhookService(WebhookRepository repository) {
    this.repository = repository;
  }

  public record Subscribe(String url, List<String> events, Boolean active) {}

  /** A new subscription; its secret is in this answer and never again. */
  public Future<Subscription> subscribe(Subscribe cmd) {
    String url = url(cmd.url());
    List<String> events = events(cmd.events());
    return repository.insert(url, events, cmd.active() == null || cmd.active(), WebhookSigner.newSecret());
  }

  public Future<List<Subscription>> subscriptions() {
    return repository.subscriptions(LIST_MAX);
  }

  /** Changes what is given (null keeps it); deactivating pauses delivery, reactivating resumes it in order. */
  public Future<Subscription> change(UUID id, Subscribe cmd) {
    String url = cmd.url() == null ? null : url(cmd.url());
    List<String> events = cmd.events() == null ? null : events(cmd.events());
    return repository.update(id, url, events, cmd.active()).compose(s -> s == null
        ? Future.failedFuture(Problem.NOT_FOUND.exception("There is no webhook subscription " + id))
        : Future.succeededFuture(s));
  }

  /** The delivery log of a subscription, newest first, optionally of one status, older than {@code before}. */
  public Future<List<Delivery>> deliveries(UUID subscriptionId, String status, Long before, Integer limit) {
    return repository.deliveries(subscriptionId, Input.oneOf(status, "status", STATUSES), before,
        Input.range(limit, "limit", 1, LIST_MAX, 50));
  }

  /** One delivery with its latest attempts (status code, error, duration). */
  public Future<Delivery> delivery(long id) {
    return repository.delivery(id, LIST_MAX).compose(d -> d == null
        ? Future.failedFuture(Problem.NOT_FOUND.exception("There is no webhook delivery " + id))
        : Future.succeededFuture(d));
  }

  /**
   * Sends a delivery again (delivered, failed or pending): it becomes pending and due now with a fresh count of
   * attempts. Later events of its connection wait for it again, so the receiver still sees them in order.
   */
  public Future<Delivery> redeliver(long id) {
    return repository.redeliver(id).compose(found -> found ? delivery(id)
        : Future.failedFuture(Problem.NOT_FOUND.exception("There is no webhook delivery " + id)));
  }

  private static String url(String value) {
    String url = Input.requiredText(value, "The URL", URL_MAX);
    try {
      URI u = new URI(url);
      if (!("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme())) || u.getHost() == null
          || u.getUserInfo() != null || u.getFragment() != null) {
        throw Problem.VALIDATION_FAILED.exception("The URL must be an absolute http(s) URL without user info or fragment");
      }
    } catch (URISyntaxException e) {
      throw Problem.VALIDATION_FAILED.exception("The URL is not a valid URL");
    }
    return url;
  }

  private static List<String> events(List<String> events) {
    if (events == null || events.isEmpty()) {
      throw Problem.VALIDATION_FAILED.exception("Choose at least one event: " + String.join(", ", WebhookKind.names()));
    }
    Set<String> out = new LinkedHashSet<>();
    for (String e : events) {
      if (!WebhookKind.names().contains(e)) {
        throw Problem.VALIDATION_FAILED.exception("Unknown event '" + (e == null ? "null" : e.length() > 40
            ? e.substring(0, 40) : e) + "'; known: " + String.join(", ", WebhookKind.names()));
      }
      out.add(e);
    }
    return new ArrayList<>(out);
  }
}
