package dev.myelin.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** State and accessors common to every event format; subclasses differ in ids and edges. */
abstract class PduBase {
    private final RoomVersion version;
    private final ObjectNode json;
    private final EventId eventId;
    private final RoomId roomId;
    private final UserId sender;
    private final String type;
    private final Optional<String> stateKey;
    private final ObjectNode content;
    private final List<EventId> prevEventIds;
    private final List<EventId> authEventIds;
    private final long depth;
    private final long originServerTs;
    private final Optional<EventId> redacts;

    PduBase(RoomVersion version, ObjectNode json, EventId eventId) {
        this.version = Objects.requireNonNull(version, "version");
        this.json = Objects.requireNonNull(json, "json");
        this.eventId = Objects.requireNonNull(eventId, "eventId");
        this.type = PduFields.requireString(json, "type");
        this.sender = PduFields.sender(json);
        this.stateKey = PduFields.stateKey(json);
        this.content = PduFields.requireObject(json, "content");
        this.roomId = readRoomId(json);
        this.prevEventIds = readEdges(json, "prev_events");
        this.authEventIds = readEdges(json, "auth_events");
        this.depth = PduFields.requireInteger(json, "depth");
        this.originServerTs = PduFields.requireInteger(json, "origin_server_ts");
        PduFields.optionalObject(json, "unsigned");
        this.redacts = readRedacts(json);
    }

    abstract RoomId readRoomId(ObjectNode json);

    abstract List<EventId> readEdges(ObjectNode json, String key);

    Optional<EventId> readRedacts(ObjectNode json) {
        if (version.redactsInContent()) {
            JsonNode inContent = content.get("redacts");
            return inContent != null && inContent.isTextual()
                    ? Optional.of(PduFields.eventId("content.redacts", inContent.textValue()))
                    : Optional.empty();
        }
        return PduFields.topLevelRedacts(json);
    }

    public RoomVersion version() {
        return version;
    }

    public EventId eventId() {
        return eventId;
    }

    public RoomId roomId() {
        return roomId;
    }

    public UserId sender() {
        return sender;
    }

    public String type() {
        return type;
    }

    public Optional<String> stateKey() {
        return stateKey;
    }

    public ObjectNode content() {
        return content;
    }

    public List<EventId> prevEventIds() {
        return prevEventIds;
    }

    public List<EventId> authEventIds() {
        return authEventIds;
    }

    public long depth() {
        return depth;
    }

    public long originServerTs() {
        return originServerTs;
    }

    public Optional<EventId> redacts() {
        return redacts;
    }

    public ObjectNode unsigned() {
        return PduFields.optionalObject(json, "unsigned");
    }

    public ObjectNode json() {
        return json.deepCopy();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PduBase that
                && that.getClass() == getClass()
                && eventId.equals(that.eventId)
                && json.equals(that.json);
    }

    @Override
    public int hashCode() {
        return eventId.hashCode();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + eventId + " " + type
                + stateKey.map(k -> " '" + k + "'").orElse("") + " from " + sender + "]";
    }
}
