package com.partneraccess.access;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;

/**
 * The codec of the loop-local check ({@link CheckRequest} in, {@link AccessGrant} out): delivered in the process, the
 * record itself is handed over (records are immutable, so there is nothing to copy), where the JSON codec built an
 * object per message and copied it on delivery. The wire form exists so the codec is complete, but the loop-local
 * address is a local consumer and replies go back to the same process: nothing sent with it is ever encoded.
 */
abstract class LoopLocalCodec<T> implements MessageCodec<T, T> {
  static final String REQUEST = "partner-access.check-request";
  static final String GRANT = "partner-access.access-grant";
  private static final Set<EventBus> REGISTERED = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private final String name;

  private LoopLocalCodec(String name) {
    this.name = name;
  }

  /** The question, as three ids. */
  static final LoopLocalCodec<CheckRequest> REQUEST_CODEC = new LoopLocalCodec<>(REQUEST) {
    @Override
    void write(Buffer b, CheckRequest r) {
      uuid(b, r.partnerId());
      uuid(b, r.userId());
      uuid(b, r.accountId());
    }

    @Override
    CheckRequest read(Buffer b, int[] pos) {
      return new CheckRequest(uuid(b, pos), uuid(b, pos), uuid(b, pos));
    }
  };

  /** The answer: the connection, the expiry in force (absent while the clock is not running), the business name. */
  static final LoopLocalCodec<AccessGrant> GRANT_CODEC = new LoopLocalCodec<>(GRANT) {
    @Override
    void write(Buffer b, AccessGrant g) {
      uuid(b, g.connectionId());
      b.appendByte((byte) (g.expiresAt() == null ? 0 : 1));
      if (g.expiresAt() != null) {
        b.appendLong(g.expiresAt().getEpochSecond()).appendInt(g.expiresAt().getNano());
      }
      byte[] name = g.businessName().getBytes(StandardCharsets.UTF_8);
      b.appendInt(name.length).appendBytes(name);
    }

    @Override
    AccessGrant read(Buffer b, int[] pos) {
      UUID connection = uuid(b, pos);
      Instant expires = null;
      if (b.getByte(pos[0]++) == 1) {
        expires = Instant.ofEpochSecond(b.getLong(pos[0]), b.getInt(pos[0] + 8));
        pos[0] += 12;
      }
      int length = b.getInt(pos[0]);
      String name = b.getString(pos[0] + 4, pos[0] + 4 + length, "UTF-8");
      pos[0] += 4 + length;
      return new AccessGrant(connection, expires, name);
    }
  };

  /** Registers both codecs on this event bus once (every access-check instance of a process calls it). */
  static void registerOnce(EventBus bus) {
    synchronized (REGISTERED) {
      if (REGISTERED.add(bus)) {
        bus.registerCodec(REQUEST_CODEC);
        bus.registerCodec(GRANT_CODEC);
      }
    }
  }

  abstract void write(Buffer b, T value);

  abstract T read(Buffer b, int[] pos);

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    Buffer body = Buffer.buffer();
    write(body, value);
    buffer.appendInt(body.length()).appendBuffer(body);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int[] at = {pos + 4};
    return read(buffer, at);
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }

  static void uuid(Buffer b, UUID id) {
    b.appendLong(id.getMostSignificantBits()).appendLong(id.getLeastSignificantBits());
  }

  static UUID uuid(Buffer b, int[] pos) {
    UUID id = new UUID(b.getLong(pos[0]), b.getLong(pos[0] + 8));
    pos[0] += 16;
    return id;
  }
}
