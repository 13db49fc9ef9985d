package dev.myelin.core.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.room.RoomVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds event graphs for state resolution tests: each event names its auth events explicitly, so
 * a test can fork the room and build the state sets the fork leaves. Timestamps grow with each
 * event unless given.
 */
final class TestDag {
    static final String ALICE = "@alice:a.test";
    static final String BOB = "@bob:b.test";
    static final String CAROL = "@carol:c.test";
    static final String ZARA = "@zara:z.test";

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .build();

    final RoomVersion version;
    private final Map<EventId, Pdu> events = new LinkedHashMap<>();
    private String roomId;
    private long ts = 1_700_000_000_000L;
    private int counter;

    TestDag(RoomVersion version) {
        this.version = version;
    }

    EventLookup lookup() {
        Map<EventId, Pdu> copy = Map.copyOf(events);
        return id -> Optional.ofNullable(copy.get(id));
    }

    List<Pdu> events() {
        return List.copyOf(events.values());
    }

    Pdu create() {
        return create(JsonNodeFactory.instance.objectNode());
    }

    /** The create event by Alice, with {@code extra} added to its content (for example {@code additional_creators}). */
    Pdu create(ObjectNode extra) {
        ObjectNode content = extra.deepCopy();
        if (!version.auth().implicitRoomCreator()) {
            content.put("creator", ALICE);
        }
        content.put("room_version", version.id());
        ObjectNode json = base("m.room.create", "", ALICE, content);
        if (version.eventFormat().roomIdFromCreateEvent()) {
            json.remove("room_id");
        } else {
            json.put("room_id", "!room:a.test");
        }
        Pdu create = build(json, List.of(), List.of());
        roomId = version.eventFormat().roomIdFromCreateEvent()
                ? RoomId.fromCreateEvent(create.eventId()).value()
                : "!room:a.test";
        return create;
    }

    /** A state event with the given auth and prev events; the create event is dropped from the auth events where the version forbids it. */
    Pdu state(String type, String stateKey, String sender, String content, List<Pdu> auth, List<Pdu> prev) {
        ObjectNode json = base(type, stateKey, sender, json(content));
        json.put("room_id", roomId);
        List<Pdu> authEvents = new ArrayList<>();
        for (Pdu a : auth) {
            if (!(a.type().equals("m.room.create") && version.eventFormat().roomIdFromCreateEvent())) {
                authEvents.add(a);
            }
        }
        return build(json, authEvents, prev);
    }

    /**
     * Replaces {@code event} in the graph by a copy, under the same id, that cites {@code authIds}
     * as its auth events (without the create event where the version forbids citing it): a way to
     * build graphs no honest server sends, such as auth cycles.
     */
    Pdu rewire(Pdu event, List<EventId> authIds) {
        ObjectNode json = event.json().deepCopy();
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (EventId id : authIds) {
            Pdu auth = events.get(id);
            if (auth != null
                    && auth.isState("m.room.create", "")
                    && version.eventFormat().roomIdFromCreateEvent()) {
                continue;
            }
            if (version.eventFormat().eventIdInEvent()) {
                ArrayNode pair = array.addArray();
                pair.add(id.value());
                pair.addObject().put("sha256", "");
            } else {
                array.add(id.value());
            }
        }
        json.set("auth_events", array);
        Pdu rewired = Pdu.of(version, json, event.eventId());
        events.put(event.eventId(), rewired);
        return rewired;
    }

    /** The state set holding {@code events}, keyed by type and state key. */
    static Map<StateTuple, EventId> stateSet(Pdu... events) {
        Map<StateTuple, EventId> set = new HashMap<>();
        for (Pdu event : events) {
            set.put(new StateTuple(event.type(), event.stateKey().orElseThrow()), event.eventId());
        }
        return set;
    }

    /** The next event gets {@code value} as its origin_server_ts; later ones count up from there. */
    void nextTimestamp(long value) {
        ts = value - 1;
    }

    private ObjectNode base(String type, String stateKey, String sender, ObjectNode content) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("type", type);
        json.put("state_key", stateKey);
        json.put("sender", sender);
        json.set("content", content);
        json.put("origin_server_ts", ++ts);
        return json;
    }

    private Pdu build(ObjectNode json, List<Pdu> auth, List<Pdu> prev) {
        json.set("auth_events", edges(auth));
        json.set("prev_events", edges(prev));
        json.put("depth", prev.stream().mapToLong(Pdu::depth).max().orElse(0) + 1);
        EventId id = nextId();
        if (version.eventFormat().eventIdInEvent()) {
            json.put("event_id", id.value());
        }
        Pdu event = Pdu.of(version, json, id);
        events.put(id, event);
        return event;
    }

    /** A fresh id in this version's format: {@code $eN:a.test} where events carry their id, else a hash. */
    private EventId nextId() {
        int n = ++counter;
        if (version.eventFormat().eventIdInEvent()) {
            return EventId.parse("$e" + n + ":a.test");
        }
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(("event " + n).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return EventId.parse("$" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
    }

    private ArrayNode edges(List<Pdu> events) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (Pdu event : events) {
            if (version.eventFormat().eventIdInEvent()) {
                ArrayNode pair = array.addArray();
                pair.add(event.eventId().value());
                pair.addObject().put("sha256", "");
            } else {
                array.add(event.eventId().value());
            }
        }
        return array;
    }

    private static ObjectNode json(String relaxed) {
        try {
            return (ObjectNode) MAPPER.readTree(relaxed);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(relaxed, e);
        }
    }
}
