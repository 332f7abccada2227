package com.partneraccess.banner;

import com.partneraccess.bus.Addresses;
import com.partneraccess.db.OutageLog;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The open sockets of one event loop (one HTTP verticle), grouped by the address they listen to. Each address
 * ({@code live.account.<id>}, {@code live.partner.<id>}) has ONE event-bus consumer on this event loop, registered
 * when its first socket arrives and unregistered when its last leaves; an event is encoded once per kind of viewer
 * (at most twice: the event and, for a partner's account-scoped sockets, {@code access_ended}) and the same text is
 * written to every socket it is for. Joining and leaving are hash-set operations, so closing N sockets is O(N)
 * (with one consumer per socket, each unregistration copied the bus's handler list of that address: O(N²)).
 * <p>R28: a partner's event about one customer account (a banner, {@code access_changed}) reaches the sockets of the
 * partner's admins and only those of the members assigned to that customer. Who that is, is read once per event per
 * event loop for the distinct users of the address's sockets here (one query, {@link LiveAudienceRepository}, with a
 * timeout of {@value #VIEWERS_TIMEOUT_MILLIS} ms), never cached, so a role or assignment change holds from the next
 * event; the events of one address are delivered in the order they arrived (each waits for the previous one). If
 * the read fails, the event goes only to the sockets whose token names an admin. Events about no account and a
 * user's own notifications are not filtered.
 * Not thread-safe: every method runs on the verticle's event loop (the handshake, the bus consumer, the timers and
 * the query's completion are all on its context).
 */
final class LiveHub {
  private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);
  private static final OutageLog OUTAGES = new OutageLog(LOG, 10_000);
  /** The longest an event waits for who may see it (then: admins by token only). */
  static final long VIEWERS_TIMEOUT_MILLIS = 2_000;

  /** Process-wide: address -> consumers registered for it, one per event loop with a socket of it (diagnostics). */
  static final String CONSUMERS_MAP = "live-consumers-per-address";

  /**
   * The most sockets written in one turn of the event loop; a bigger audience is written in several turns (each
   * socket of 10,000 costs a few microseconds: about a millisecond per turn). Tests lower it.
   */
  static volatile int writesPerTurn = 512;

  /**
   * Diagnostics for the fan-out benchmark, off unless it turns them on: per address and event kind, when this
   * process's event loops began writing the latest such event (the earliest of them) and finished (the latest), epoch
   * µs. Kept in {@link #FAN_OUT_TIMES}.
   */
  static volatile boolean recordTimes;
  static final String FAN_OUT_TIMES = "live-fan-out-times";

  private final EventBus bus;
  private final Context context;
  private final LocalMap<String, Long> fanOutTimes;
  private final LiveAudienceRepository viewers;
  private final LocalMap<String, Integer> consumersPerAddress;
  /** Every open socket of this event loop, with or without an address (heartbeat, sign-out). */
  private final Set<LiveSocket> sockets = new HashSet<>();
  private final Map<String, Audience> audiences = new HashMap<>();

  LiveHub(Vertx vertx, LiveAudienceRepository viewers) {
    this.bus = vertx.eventBus();
    this.context = vertx.getOrCreateContext();
    this.viewers = viewers;
    this.consumersPerAddress = vertx.sharedData().getLocalMap(CONSUMERS_MAP);
    this.fanOutTimes = vertx.sharedData().getLocalMap(FAN_OUT_TIMES);
  }

  /** The sockets of one address on this event loop and their one consumer. */
  private final class Audience {
    final String address;
    final Set<LiveSocket> members = new HashSet<>();
    /** The distinct users of {@link #members} (with how many sockets each): who an event's audience is read for. */
    final Map<String, Integer> users = new HashMap<>();
    final MessageConsumer<JsonObject> consumer;
    /** The partner of a {@code live.partner.<id>} address (its events are scoped by R28); null for an account's. */
    final UUID partnerId;
    /** Events received and not yet delivered (waiting for who may see them, or for an earlier one). */
    int pending;
    /** The delivery of the last event received: the next one is delivered after it (per-address order). */
    Future<Void> tail = Future.succeededFuture();

    Audience(String address) {
      this.address = address;
      this.partnerId = address.startsWith(Addresses.LIVE_PARTNER_PREFIX)
          ? UUID.fromString(address.substring(Addresses.LIVE_PARTNER_PREFIX.length())) : null;
      this.consumer = bus.localConsumer(address, msg -> receive(this, msg.body()));
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
    if (audience.members.add(socket) && socket.userId() != null) {
      audience.users.merge(socket.userId(), 1, Integer::sum);
    }
    socket.shareAddress(audience.address);
    return audience.consumer.completion();
  }

  /** Removes a socket (idempotent); its address's consumer goes with its last socket. */
  boolean leave(LiveSocket socket) {
    if (!sockets.remove(socket)) {
      return false;
    }
    String address = socket.address();
    Audience audience = address == null ? null : audiences.get(address);
    if (audience == null || !audience.members.remove(socket)) {
      return true;
    }
    if (socket.userId() != null) {
      audience.users.computeIfPresent(socket.userId(), (k, n) -> n <= 1 ? null : n - 1);
    }
    if (audience.members.isEmpty()) {
      audiences.remove(address);
      audience.consumer.unregister();
      consumersPerAddress.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
    }
    return true;
  }

  /**
   * Calls {@code action} for every open socket of this event loop (on a copy: the action may close it), at most
   * {@link #writesPerTurn} per turn of the event loop, like an event's delivery (a ping to every socket is a write to
   * every socket).
   */
  void forEachSocket(Consumer<LiveSocket> action) {
    forEach(sockets.toArray(LiveSocket[]::new), 0, action);
  }

  private void forEach(LiveSocket[] all, int from, Consumer<LiveSocket> action) {
    int to = Math.min(all.length, from + writesPerTurn);
    for (int i = from; i < to; i++) {
      action.accept(all[i]);
    }
    if (to < all.length) {
      context.runOnContext(v -> forEach(all, to, action));
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
   * One published event for one address: delivered at once when it concerns every socket and nothing is waiting;
   * otherwise after the events received before it, once who may see it is known (R28). A delivery to more than
   * {@link #writesPerTurn} sockets takes several turns of the event loop, so a later event of the address waits for it
   * too (per-address order).
   */
  private void receive(Audience audience, JsonObject event) {
    Future<Set<String>> decided = viewersOf(audience, event);
    if (decided == null && audience.pending == 0) {
      Future<Void> delivered = deliver(audience, event, null);
      if (!delivered.isComplete()) {
        audience.pending++;
        audience.tail = delivered.andThen(ar -> audience.pending--);
      }
      return;
    }
    audience.pending++;
    Future<Set<String>> known = decided == null ? Future.succeededFuture(null) : decided;
    audience.tail = audience.tail
        .transform(previous -> known.transform(ar -> deliver(audience, event, viewersOrFallback(audience, ar))))
        .andThen(ar -> audience.pending--);
  }

  /**
   * R28: for a partner's event about one customer, the users of this address's sockets that may see it (one query,
   * bounded by a timeout); null when every socket of the address may (an account's address, a notification, which
   * only its user's sockets get anyway, an event about no account, or no socket here).
   */
  private Future<Set<String>> viewersOf(Audience audience, JsonObject event) {
    if (audience.partnerId == null || "notification".equals(event.getString("type"))) {
      return null;
    }
    UUID accountId = accountOf(event);
    if (accountId == null) {
      return null;
    }
    if (audience.users.isEmpty()) {
      return null;
    }
    List<UUID> users = new ArrayList<>(audience.users.size());
    for (String user : audience.users.keySet()) {
      users.add(UUID.fromString(user));
    }
    return viewers.viewers(accountId, audience.partnerId, users)
        .timeout(VIEWERS_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The account an event is about: a banner's, or an access change's; null if none (or not a UUID). */
  private static UUID accountOf(JsonObject event) {
    Object banner = event.getValue("banner");
    String id = banner instanceof JsonObject b ? b.getString("accountId") : event.getString("accountId");
    if (id == null) {
      return null;
    }
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Who may see it; if that could not be read in time: the users whose token names an admin (members: nothing). */
  private static Set<String> viewersOrFallback(Audience audience, AsyncResult<Set<String>> ar) {
    if (ar.succeeded()) {
      return ar.result();
    }
    OUTAGES.warn("who may see a live event could not be read", "sent to the admins' sockets only ("
        + ar.cause().getMessage() + ")");
    Set<String> admins = new HashSet<>();
    for (LiveSocket s : audience.members) {
      if (s.partnerAdminByToken()) {
        admins.add(s.userId());
      }
    }
    return admins;
  }

  /**
   * One published event to the sockets of one address: filtered as each socket's scope says (R27 a notification
   * only to its user; R28 a partner's event about a customer only to the users in {@code viewers}, when not null;
   * R7/R19 an account's access change only to the partner's portal sockets and to its sockets scoped to that
   * account), encoded once to one byte array that every socket's frame shares. At most {@link #writesPerTurn} sockets
   * are written per turn of the event loop: between two turns the loop answers its HTTP requests and reads its other
   * sockets (10,000 writes in one go held it for hundreds of milliseconds). Completes once every socket was written.
   */
  private Future<Void> deliver(Audience audience, JsonObject event, Set<String> viewers) {
    // a copy: a socket closed while writing (too slow, access ended) leaves the set during the loop
    LiveSocket[] members = audience.members.toArray(LiveSocket[]::new);
    Delivery delivery = new Delivery(members, event, viewers);
    String timed = recordTimes ? audience.address + " " + kindOf(event) : null;
    if (timed != null) {
      fanOutTimes.merge(timed + " first", epochMicros(), Math::min);
    }
    if (members.length <= writesPerTurn) {
      delivery.write(0, members.length);
      if (timed != null) {
        fanOutTimes.merge(timed + " last", epochMicros(), Math::max);
      }
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    delivery.writeFrom(0, done);
    return timed == null ? done.future()
        : done.future().andThen(ar -> fanOutTimes.merge(timed + " last", epochMicros(), Math::max));
  }

  /** An event's kind for the diagnostics: its type, and a banner's kind ({@code banner:access_disabled}). */
  static String kindOf(JsonObject event) {
    Object banner = event.getValue("banner");
    return banner instanceof JsonObject b ? "banner:" + b.getString("kind") : event.getString("type");
  }

  private static long epochMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }

  /** One event on its way to a snapshot of an address's sockets, in turns of at most {@link #writesPerTurn}. */
  private final class Delivery {
    final LiveSocket[] members;
    final JsonObject event;
    final Set<String> viewers;
    final String type;
    /** Encoded once, on first use: the event, and (access ended, R7/R19) the {@code access_ended} sent before a close. */
    LiveSocket.Frame frame;
    LiveSocket.Frame endedFrame;
    /** An access change ({@code access_changed}): its account, and whether access ended with it. */
    final boolean accessChange;
    final String accountId;
    final boolean ended;

    Delivery(LiveSocket[] members, JsonObject event, Set<String> viewers) {
      this.members = members;
      this.event = event;
      this.viewers = viewers;
      this.type = event.getString("type");
      this.accessChange = "access_changed".equals(type);
      this.accountId = accessChange ? event.getString("accountId") : null;
      this.ended = accessChange
          && (event.getBoolean("disconnected", false) || !"enabled".equals(event.getString("access")));
    }

    void writeFrom(int from, Promise<Void> done) {
      int to = Math.min(members.length, from + writesPerTurn);
      write(from, to);
      if (to == members.length) {
        done.complete();
      } else {
        context.runOnContext(v -> writeFrom(to, done));
      }
    }

    void write(int from, int to) {
      if ("notification".equals(type)) {
        String userId = event.getString("userId");
        for (int i = from; i < to; i++) {
          if (members[i].isUser(userId)) {
            members[i].send(frame());
          }
        }
      } else if (!accessChange) {
        for (int i = from; i < to; i++) {
          if (viewers == null || viewers.contains(members[i].userId())) {
            members[i].send(frame());
          }
        }
      } else {
        for (int i = from; i < to; i++) {
          LiveSocket s = members[i];
          String scoped = s.accessAccountId();
          boolean visible = viewers == null || viewers.contains(s.userId());
          if (scoped == null) {
            if (visible) {
              s.send(frame()); // the partner's portal pages: the Customers page refreshes its list and counts
            }
          } else if (scoped.equals(accountId)) {
            if (ended) {
              // R7/R19: the live cut-off, whoever may still see the account; the next request with the
              // account-scoped token is refused by the access check
              if (endedFrame == null) {
                endedFrame = LiveSocket.Frame.shared(accessEnded(event).encode());
              }
              s.end(endedFrame);
            } else if (visible) {
              s.send(frame());
            }
          }
        }
      }
    }

    LiveSocket.Frame frame() {
      if (frame == null) {
        frame = LiveSocket.Frame.shared(event.encode());
      }
      return frame;
    }
  }

  private static JsonObject accessEnded(JsonObject event) {
    return new JsonObject().put("type", "access_ended").put("accountId", event.getString("accountId"))
        .put("partnerId", event.getString("partnerId"))
        .put("reason", event.getBoolean("disconnected", false) ? "disconnected" : event.getString("access"));
  }
}
