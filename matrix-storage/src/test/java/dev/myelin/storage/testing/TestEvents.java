package dev.myelin.storage.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds room-version-10 events for storage tests. Event ids are unique hash-shaped strings, not real
 * reference hashes: storage does not check them (event signing lives in matrix-core).
 */
public final class TestEvents {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AtomicLong COUNTER = new AtomicLong();

    private TestEvents() {}

    public static EventId newEventId() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(("event-" + COUNTER.incrementAndGet() + "-" + System.nanoTime())
                            .getBytes(StandardCharsets.UTF_8));
            return new EventId("$" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A builder for an event in {@code room}. */
    public static Builder event(RoomId room, UserId sender, String type) {
        return new Builder(room, sender, type);
    }

    public static Pdu create(RoomId room, UserId creator) {
        return event(room, creator, "m.room.create")
                .stateKey("")
                .depth(1)
                .content("room_version", "10")
                .build();
    }

    public static Pdu member(RoomId room, UserId user, String membership, List<EventId> prev, long depth) {
        return event(room, user, "m.room.member")
                .stateKey(user.toString())
                .content("membership", membership)
                .prev(prev)
                .depth(depth)
                .build();
    }

    public static Pdu message(RoomId room, UserId sender, String body, List<EventId> prev, long depth) {
        return event(room, sender, "m.room.message")
                .content("msgtype", "m.text")
                .content("body", body)
                .prev(prev)
                .depth(depth)
                .build();
    }

    /** Fluent event builder. */
    public static final class Builder {
        private final ObjectNode json = MAPPER.createObjectNode();
        private final ObjectNode content = MAPPER.createObjectNode();
        private EventId id = newEventId();

        Builder(RoomId room, UserId sender, String type) {
            json.put("room_id", room.value());
            json.put("sender", sender.toString());
            json.put("type", type);
            json.put("origin_server_ts", 1_700_000_000_000L + COUNTER.get());
            json.put("depth", 1);
            json.putArray("prev_events");
            json.putArray("auth_events");
            json.putObject("hashes").put("sha256", "x");
            json.putObject("signatures");
        }

        public Builder id(EventId eventId) {
            this.id = eventId;
            return this;
        }

        public Builder stateKey(String stateKey) {
            json.put("state_key", stateKey);
            return this;
        }

        public Builder content(String key, String value) {
            content.put(key, value);
            return this;
        }

        /** Sets a content key to a JSON value, e.g. an {@code m.relates_to} object. */
        public Builder content(String key, com.fasterxml.jackson.databind.JsonNode value) {
            content.set(key, value.deepCopy());
            return this;
        }

        public Builder depth(long depth) {
            json.put("depth", depth);
            return this;
        }

        public Builder prev(List<EventId> prev) {
            ArrayNode a = json.putArray("prev_events");
            prev.forEach(p -> a.add(p.value()));
            return this;
        }

        public Builder auth(List<EventId> auth) {
            ArrayNode a = json.putArray("auth_events");
            auth.forEach(p -> a.add(p.value()));
            return this;
        }

        public Builder redacts(EventId target) {
            content.put("redacts", target.value());
            json.put("redacts", target.value());
            return this;
        }

        public Pdu build() {
            json.set("content", content.deepCopy());
            return Pdu.of(RoomVersions.V10, json, id);
        }
    }
}
