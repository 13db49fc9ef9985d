package dev.myelin.core.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.room.RoomVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds rooms for auth rule tests: events in the format of a room version, with valid ids, the
 * previous event as {@code prev_events}, and auth events picked from the current state by
 * {@link AuthEventSelection}. Events built with {@link #event} are not applied; {@link #send}
 * applies state events to the room state.
 */
final class TestRoom {
    static final String ALICE = "@alice:a.test";
    static final String BOB = "@bob:b.test";
    static final String CAROL = "@carol:c.test";
    static final String DAVE = "@dave:a.test";

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .build();

    final RoomVersion version;
    private final Map<StateTuple, Pdu> state = new LinkedHashMap<>();
    private final List<Pdu> timeline = new ArrayList<>();
    private String roomId;
    private int counter;

    private TestRoom(RoomVersion version) {
        this.version = version;
    }

    /** An empty room: no events at all. */
    static TestRoom empty(RoomVersion version) {
        return new TestRoom(version);
    }

    /**
     * A room created by Alice: the create event, her join, power levels giving her 100 (before
     * version 12, where she is a creator and may not be listed) and the {@code joinRule}.
     */
    static TestRoom created(RoomVersion version, String joinRule) {
        TestRoom room = new TestRoom(version);
        room.send(room.createEvent(ALICE, c -> {}));
        room.send(room.event("m.room.member", ALICE, ALICE, "{membership: 'join'}"));
        room.send(room.event(
                "m.room.power_levels",
                "",
                ALICE,
                version.auth().creatorsHaveInfinitePower() ? "{users: {}}" : "{users: {'" + ALICE + "': 100}}"));
        room.send(room.event("m.room.join_rules", "", ALICE, "{join_rule: '" + joinRule + "'}"));
        return room;
    }

    static TestRoom created(RoomVersion version) {
        return created(version, "public");
    }

    /** A create event by {@code sender} with the content this version expects; {@code edit} may change it. */
    Pdu createEvent(String sender, Consumer<ObjectNode> edit) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        if (!version.auth().implicitRoomCreator()) {
            content.put("creator", sender);
        }
        content.put("room_version", version.id());
        edit.accept(content);
        ObjectNode json = base("m.room.create", "", sender, content);
        json.set("prev_events", json.arrayNode());
        json.set("auth_events", json.arrayNode());
        json.put("depth", 1);
        if (version.eventFormat().roomIdFromCreateEvent()) {
            json.remove("room_id");
        } else {
            json.put("room_id", "!room:" + sender.substring(sender.indexOf(':') + 1));
        }
        return build(json);
    }

    /** A state event ({@code stateKey} non-null) or message event, not yet applied. */
    Pdu event(String type, String stateKey, String sender, String content) {
        return event(type, stateKey, sender, json(content));
    }

    Pdu event(String type, String stateKey, String sender, ObjectNode content) {
        ObjectNode json = base(type, stateKey, sender, content);
        List<Pdu> authEvents = new ArrayList<>();
        for (StateTuple key :
                AuthEventSelection.select(type, stateKey, dev.myelin.core.id.UserId.parse(sender), content, version)) {
            Optional.ofNullable(state.get(key)).ifPresent(authEvents::add);
        }
        json.set("auth_events", edges(authEvents.stream().map(Pdu::eventId).toList()));
        json.set(
                "prev_events",
                edges(
                        timeline.isEmpty()
                                ? List.of()
                                : List.of(timeline.getLast().eventId())));
        json.put("depth", timeline.size() + 1);
        return build(json);
    }

    /** The message or state event as {@link #event}, with its {@code auth_events} replaced. */
    Pdu withAuthEvents(Pdu event, List<EventId> authEvents) {
        ObjectNode json = event.json();
        json.set("auth_events", edges(authEvents));
        json.remove("event_id");
        return build(json);
    }

    /** The event with its {@code prev_events} replaced. */
    Pdu withPrevEvents(Pdu event, List<EventId> prevEvents) {
        ObjectNode json = event.json();
        json.set("prev_events", edges(prevEvents));
        json.remove("event_id");
        return build(json);
    }

    /** The event with one top-level key replaced. */
    Pdu withKey(Pdu event, String key, Object value) {
        ObjectNode json = event.json();
        json.remove("event_id");
        json.set(key, MAPPER.valueToTree(value));
        return build(json);
    }

    /** Applies a state event to the room state and the timeline; returns it. */
    Pdu send(Pdu event) {
        if (event.type().equals("m.room.create") && version.eventFormat().roomIdFromCreateEvent()) {
            roomId = RoomId.fromCreateEvent(event.eventId()).value();
        } else if (event.type().equals("m.room.create")) {
            roomId = event.roomId().value();
        }
        timeline.add(event);
        event.stateKey().ifPresent(k -> state.put(new StateTuple(event.type(), k), event));
        return event;
    }

    /** Builds, checks against the current state and, when allowed, applies an event. */
    AuthResult sendChecked(String type, String stateKey, String sender, String content) {
        Pdu event = event(type, stateKey, sender, content);
        AuthResult result = check(event);
        if (result.isAllowed()) {
            send(event);
        }
        return result;
    }

    /** Applies a membership for {@code user} without checking it. */
    TestRoom member(String user, String membership) {
        send(event("m.room.member", user, user, "{membership: '" + membership + "'}"));
        return this;
    }

    /** Replaces the power levels without checking. */
    TestRoom powerLevels(String content) {
        send(event("m.room.power_levels", "", ALICE, content));
        return this;
    }

    AuthState state() {
        Map<StateTuple, Pdu> copy = Map.copyOf(state);
        return (type, stateKey) -> Optional.ofNullable(copy.get(new StateTuple(type, stateKey)));
    }

    Pdu get(StateTuple key) {
        return state.get(key);
    }

    Pdu createEventOfRoom() {
        return state.get(StateTuple.CREATE);
    }

    AuthResult check(Pdu event) {
        return EventAuthorizer.check(event, state());
    }

    static ObjectNode json(String relaxed) {
        try {
            return (ObjectNode) MAPPER.readTree(relaxed);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(relaxed, e);
        }
    }

    private ObjectNode base(String type, String stateKey, String sender, ObjectNode content) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("type", type);
        if (stateKey != null) {
            json.put("state_key", stateKey);
        }
        json.put("sender", sender);
        if (roomId != null) {
            json.put("room_id", roomId);
        }
        json.set("content", content.deepCopy());
        json.put("origin_server_ts", 1_700_000_000_000L + counter);
        return json;
    }

    private ArrayNode edges(List<EventId> ids) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (EventId id : ids) {
            if (version.eventFormat().eventIdInEvent()) {
                ArrayNode pair = array.addArray();
                pair.add(id.value());
                pair.addObject().put("sha256", "");
            } else {
                array.add(id.value());
            }
        }
        return array;
    }

    private Pdu build(ObjectNode json) {
        EventId id = nextId(json.path("sender").asText());
        if (version.eventFormat().eventIdInEvent()) {
            json.put("event_id", id.value());
        }
        return Pdu.of(version, json, id);
    }

    /** A fresh event id in this version's format, from a counter. */
    private EventId nextId(String sender) {
        int n = ++counter;
        if (version.eventFormat().eventIdInEvent()) {
            return EventId.parse("$e" + n + ":" + sender.substring(sender.indexOf(':') + 1));
        }
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(("event " + n).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Base64.Encoder encoder = version.eventFormat().urlSafeEventIds()
                ? Base64.getUrlEncoder().withoutPadding()
                : Base64.getEncoder().withoutPadding();
        return EventId.parse("$" + encoder.encodeToString(hash));
    }
}
