package com.partneraccess.banner;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The open sockets of one event loop (one HTTP verticle), grouped by the address they listen to. Each address
 * ({@code live.account.<id>}, {@code live.partner.<id>}) has ONE event-bus consumer on this event loop, registered
 * when its first socket arrives and unregistered when its last leaves; an event is encoded once per kind of viewer
 * (at most twice: the event and, for a partner's account-scoped sockets, {@code access_ended}) and the same text is
 * written to every socket it is for. Joining and leaving are hash-set operations, so closing N sockets is O(N)
 * (with one consumer per socket, each unregistration copied the bus's handler list of that address: O(N²)).
 * Not thread-safe: every method runs on the verticle's event loop (the handshake, the bus consumer and the timers
 * are all on its context).
 */
final class LiveHub {
  /** Process-wide: address -> consumers registered for it, one per event loop with a socket of it (diagnostics). */
  static final String CONSUMERS_MAP = "live-consumers-per-address";

  private final EventBus bus;
  private final LocalMap<String, Integer> consumersPerAddress;
  /** Every open socket of this event loop, with or without an address (heartbeat, sign-out). */
  private final Set<LiveSocket> sockets = new HashSet<>();
  private final Map<String, Audience> audiences = new HashMap<>();

  LiveHub(Vertx vertx) {
    this.bus = vertx.eventBus();
    this.consumersPerAddress = vertx.sharedData().getLocalMap(CONSUMERS_MAP);
  }

  /** The sockets of one address on this event loop and their one consumer. */
  private final class Audience {
    final String address;
    final Set<LiveSocket> members = new HashSet<>();
    final MessageConsumer<JsonObject> consumer;

    Audience(String address) {
      this.address = address;
      this.consumer = bus.localConsumer(address, msg -> deliver(this, msg.body()));
      consumersPerAddress.merge(address, 1, Integer::sum);
    }
  }

  /**
   * Adds a socket; completes once its address's consumer is registered (from then on nothing published to it
   * is missed).
   */
  Future<Void> join(LiveSocket socket) {
    sockets.add(socket);
    String address = socket.address();
    if (address == null) {
      return Future.succeededFuture();
    }
    Audience audience = audiences.computeIfAbsent(address, Audience::new);
    audience.members.add(socket);
    return audience.consumer.completion();
  }

  /** Removes a socket (idempotent); its address's consumer goes with its last socket. */
  boolean leave(LiveSocket socket) {
    if (!sockets.remove(socket)) {
      return false;
    }
    String address = socket.address();
    Audience audience = address == null ? null : audiences.get(address);
    if (audience != null && audience.members.remove(socket) && audience.members.isEmpty()) {
      audiences.remove(address);
      audience.consumer.unregister();
      consumersPerAddress.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
    }
    return true;
  }

  /** Calls {@code action} for every open socket of this event loop (on a copy: the action may close it). */
  void forEachSocket(Consumer<LiveSocket> action) {
    for (LiveSocket s : sockets.toArray(LiveSocket[]::new)) {
      action.accept(s);
    }
  }

  /** Open sockets on this event loop. */
  int socketCount() {
    return sockets.size();
  }

  /** Event-bus consumers this hub holds: one per address with at least one socket here. */
  int consumerCount() {
    return audiences.size();
  }

  /** Sockets listening to {@code address} on this event loop. */
  int socketCount(String address) {
    Audience a = audiences.get(address);
    return a == null ? 0 : a.members.size();
  }

  /**
   * One published event to the sockets of one address: filtered as each socket's scope says (R27 a notification
   * only to its user; R7/R19 an account's access change only to the partner's portal sockets and to its sockets
   * scoped to that account), encoded once.
   */
  private void deliver(Audience audience, JsonObject event) {
    // a copy: a socket closed while writing (too slow, access ended) leaves the set during the loop
    LiveSocket[] members = audience.members.toArray(LiveSocket[]::new);
    String type = event.getString("type");
    if ("notification".equals(type)) {
      String userId = event.getString("userId");
      String text = null;
      for (LiveSocket s : members) {
        if (s.isUser(userId)) {
          text = text == null ? event.encode() : text;
          s.send(text);
        }
      }
      return;
    }
    if (!"access_changed".equals(type)) {
      String text = event.encode();
      for (LiveSocket s : members) {
        s.send(text);
      }
      return;
    }
    String accountId = event.getString("accountId");
    boolean ended = event.getBoolean("disconnected", false) || !"enabled".equals(event.getString("access"));
    String text = event.encode();
    String endedText = null;
    for (LiveSocket s : members) {
      String scoped = s.accessAccountId();
      if (scoped == null) {
        s.send(text); // the partner's portal pages: the Customers page refreshes its list and counts
      } else if (scoped.equals(accountId)) {
        if (ended) {
          // R7/R19: the live cut-off; the next request with the account-scoped token is refused by the access check
          endedText = endedText == null ? accessEnded(event).encode() : endedText;
          s.end(endedText);
        } else {
          s.send(text);
        }
      }
    }
  }

  private static JsonObject accessEnded(JsonObject event) {
    return new JsonObject().put("type", "access_ended").put("accountId", event.getString("accountId"))
        .put("partnerId", event.getString("partnerId"))
        .put("reason", event.getBoolean("disconnected", false) ? "disconnected" : event.getString("access"));
  }
}
