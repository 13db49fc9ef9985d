package dev.myelin.core.event;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Builds, hashes and signs a new event created by this server, in the format of its room
 * version.
 *
 * <p>The caller supplies everything that is not derived: the timestamp comes from the caller's
 * clock, never the system's. {@link #build} adds the content hash, signs the redacted event with
 * the server's key, and computes the event id: {@code $<random>:<server>} in room versions 1 and 2
 * (random from the supplied generator, a {@link SecureRandom} by default), the reference hash
 * otherwise. Edges are written as {@code [event_id, {"sha256": reference hash}]} pairs in the v1
 * format (give the hashes with {@link #edgeReferenceHashes}; an edge without one is written with
 * an empty object, which the spec's schema does not allow, so give them) and as plain ids later.
 * A {@code redacts} target goes at the top level, or into {@code content} from room version 11. In
 * room version 12 the {@code m.room.create} event has no {@code room_id}.
 *
 * <p>A builder is not thread-safe; use one per event.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#pdus">PDUs</a>
 */
public final class PduBuilder {
    private static final String OPAQUE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int OPAQUE_LENGTH = 18;

    private final RoomVersion version;
    private RoomId roomId;
    private UserId sender;
    private String type;
    private String stateKey;
    private ObjectNode content = JsonNodeFactory.instance.objectNode();
    private List<EventId> prevEvents = List.of();
    private List<EventId> authEvents = List.of();
    private Map<EventId, String> edgeHashes = Map.of();
    private Long depth;
    private Long originServerTs;
    private EventId redacts;
    private ObjectNode unsigned;
    private RandomGenerator random;

    private PduBuilder(RoomVersion version) {
        this.version = Objects.requireNonNull(version, "version");
    }

    /** A builder for an event in a room of {@code version}. */
    public static PduBuilder forVersion(RoomVersion version) {
        return new PduBuilder(version);
    }

    /** The room; required except for the create event of a room version 12 room. */
    public PduBuilder roomId(RoomId value) {
        this.roomId = Objects.requireNonNull(value, "roomId");
        return this;
    }

    /**
     * Sets {@code sender}.
     *
     * @param value the sender
     * @return this builder
     */
    public PduBuilder sender(UserId value) {
        this.sender = Objects.requireNonNull(value, "sender");
        return this;
    }

    /**
     * Sets {@code type}.
     *
     * @param value the event type
     * @return this builder
     */
    public PduBuilder type(String value) {
        this.type = Objects.requireNonNull(value, "type");
        return this;
    }

    /** Makes this a state event with {@code value} as its state key. */
    public PduBuilder stateKey(String value) {
        this.stateKey = Objects.requireNonNull(value, "stateKey");
        return this;
    }

    /** The content; copied. Defaults to {@code {}}. */
    public PduBuilder content(ObjectNode value) {
        this.content = value.deepCopy();
        return this;
    }

    /**
     * Sets {@code prev_events}.
     *
     * @param value the ids, in order
     * @return this builder
     */
    public PduBuilder prevEvents(List<EventId> value) {
        this.prevEvents = List.copyOf(value);
        return this;
    }

    /**
     * Sets {@code auth_events}.
     *
     * @param value the ids, in order
     * @return this builder
     */
    public PduBuilder authEvents(List<EventId> value) {
        this.authEvents = List.copyOf(value);
        return this;
    }

    /**
     * For the v1 format: the unpadded base64 reference hash of each referenced event (see
     * {@link EventHashes#referenceHash(Pdu)}), written into the edge pairs.
     */
    public PduBuilder edgeReferenceHashes(Map<EventId, String> value) {
        this.edgeHashes = Map.copyOf(value);
        return this;
    }

    /**
     * Sets {@code depth}.
     *
     * @param value the depth
     * @return this builder
     */
    public PduBuilder depth(long value) {
        this.depth = value;
        return this;
    }

    /** The creation time in milliseconds since the epoch, from the caller's clock. */
    public PduBuilder originServerTs(long value) {
        this.originServerTs = value;
        return this;
    }

    /** For {@code m.room.redaction}: the event redacted. */
    public PduBuilder redacts(EventId value) {
        this.redacts = Objects.requireNonNull(value, "redacts");
        return this;
    }

    /** Unsigned data to attach (not hashed or signed); copied. */
    public PduBuilder unsigned(ObjectNode value) {
        this.unsigned = value.deepCopy();
        return this;
    }

    /** The randomness for v1-format event ids; a {@link SecureRandom} when not set. */
    public PduBuilder random(RandomGenerator value) {
        this.random = Objects.requireNonNull(value, "random");
        return this;
    }

    /**
     * The hashed and signed event, signed by {@code origin} with {@code key}.
     *
     * @throws IllegalStateException when a required value is missing or does not fit the version
     * @throws IllegalArgumentException when the sender does not belong to {@code origin}
     * @throws EventTooLargeException when the event is over one of the {@link PduLimits}, which
     *     every server would reject it for
     */
    public Pdu build(ServerName origin, SigningKey key) {
        require(sender, "sender");
        require(type, "type");
        PduLimits.checkKeys(type, stateKey);
        require(depth, "depth");
        require(originServerTs, "originServerTs");
        if (!sender.server().equals(origin)) {
            throw new IllegalArgumentException("sender " + sender + " does not belong to the signing server " + origin);
        }
        boolean v12Create =
                version.eventFormat().roomIdFromCreateEvent() && "m.room.create".equals(type) && "".equals(stateKey);
        if (v12Create && roomId != null) {
            throw new IllegalStateException("a room version " + version.id()
                    + " create event has no room_id: its room id is derived from its event id");
        }
        if (!v12Create) {
            require(roomId, "roomId");
        }

        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode event = nodes.objectNode();
        if (version.eventFormat().eventIdInEvent()) {
            event.put("event_id", "$" + opaqueId() + ":" + origin.value());
        }
        if (roomId != null) {
            event.put("room_id", roomId.value());
        }
        event.put("sender", sender.toString());
        event.put("type", type);
        if (stateKey != null) {
            event.put("state_key", stateKey);
        }
        ObjectNode eventContent = content.deepCopy();
        if (redacts != null) {
            if (version.redactsInContent()) {
                eventContent.put("redacts", redacts.value());
            } else {
                event.put("redacts", redacts.value());
            }
        }
        event.set("content", eventContent);
        event.set("prev_events", edges(prevEvents));
        event.set("auth_events", edges(authEvents));
        event.put("depth", depth);
        event.put("origin_server_ts", originServerTs);

        ObjectNode signed = EventSigning.hashAndSign(event, version, origin, key);
        if (unsigned != null) {
            signed.set("unsigned", unsigned.deepCopy());
        }
        Pdu pdu = Pdus.fromJson(signed, version);
        PduLimits.check(pdu);
        return pdu;
    }

    private ArrayNode edges(List<EventId> ids) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (EventId id : ids) {
            if (version.eventFormat().eventIdInEvent()) {
                ArrayNode pair = array.addArray();
                pair.add(id.value());
                ObjectNode hashes = pair.addObject();
                String hash = edgeHashes.get(id);
                if (hash != null) {
                    hashes.put("sha256", hash);
                }
            } else {
                array.add(id.value());
            }
        }
        return array;
    }

    private String opaqueId() {
        RandomGenerator source = random != null ? random : new SecureRandom();
        StringBuilder id = new StringBuilder(OPAQUE_LENGTH);
        for (int i = 0; i < OPAQUE_LENGTH; i++) {
            id.append(OPAQUE_CHARS.charAt(source.nextInt(OPAQUE_CHARS.length())));
        }
        return id.toString();
    }

    private static void require(Object value, String name) {
        if (value == null) {
            throw new IllegalStateException("event builder needs " + name);
        }
    }
}
