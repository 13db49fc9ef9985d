package dev.myelin.core.pdu;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.auth.AuthEventSelection;
import dev.myelin.core.auth.StateTuple;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.event.EventSigning;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.Pdus;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a room of real, hashed and signed events, as another server would send them: ids from
 * the version's format, auth events picked from the current state by {@link AuthEventSelection},
 * the previous event as {@code prev_events}, and the sender's server's signature.
 */
final class SignedRoom {
    static final String ALICE = "@alice:origin.test";
    static final String BOB = "@bob:resident.test";
    static final String CAROL = "@carol:origin.test";

    private final RoomVersion version;
    private final Map<ServerName, SigningKey> keys;
    private final Map<StateTuple, Pdu> state = new LinkedHashMap<>();
    private final Map<EventId, Pdu> events = new HashMap<>();
    private Optional<Pdu> last = Optional.empty();
    private String roomId = "!room:origin.test";
    private int counter;

    SignedRoom(RoomVersion version, Map<ServerName, SigningKey> keys) {
        this.version = version;
        this.keys = keys;
    }

    /** A room Alice created, joined and gave a public join rule, with Bob joined too. */
    static SignedRoom withAliceAndBob(RoomVersion version, Map<ServerName, SigningKey> keys) {
        SignedRoom room = new SignedRoom(version, keys);
        ObjectNode create = object();
        if (!version.auth().implicitRoomCreator()) {
            create.put("creator", ALICE);
        }
        create.put("room_version", version.id());
        room.send(room.event("m.room.create", "", ALICE, create));
        room.send(room.event("m.room.member", ALICE, ALICE, membership("join")));
        ObjectNode levels = object();
        if (!version.auth().creatorsHaveInfinitePower()) {
            levels.putObject("users").put(ALICE, 100);
        }
        room.send(room.event("m.room.power_levels", "", ALICE, levels));
        ObjectNode joinRules = object();
        joinRules.put("join_rule", "public");
        room.send(room.event("m.room.join_rules", "", ALICE, joinRules));
        room.send(room.event("m.room.member", BOB, BOB, membership("join")));
        return room;
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static ObjectNode membership(String membership) {
        ObjectNode content = object();
        content.put("membership", membership);
        return content;
    }

    static ObjectNode text(String body) {
        ObjectNode content = object();
        content.put("msgtype", "m.text");
        content.put("body", body);
        return content;
    }

    /** A signed event in federation form, not yet applied, citing the current state. */
    ObjectNode event(String type, String stateKey, String sender, ObjectNode content) {
        List<EventId> auth = new ArrayList<>();
        for (StateTuple key : AuthEventSelection.select(type, stateKey, UserId.parse(sender), content, version)) {
            Optional.ofNullable(state.get(key)).map(Pdu::eventId).ifPresent(auth::add);
        }
        return event(type, stateKey, sender, content, auth);
    }

    /** As {@link #event(String, String, String, ObjectNode)} with the given auth events. */
    ObjectNode event(String type, String stateKey, String sender, ObjectNode content, List<EventId> authEvents) {
        ObjectNode json = object();
        json.put("type", type);
        if (stateKey != null) {
            json.put("state_key", stateKey);
        }
        json.put("sender", sender);
        boolean v12Create =
                type.equals("m.room.create") && version.eventFormat().roomIdFromCreateEvent();
        if (!v12Create) {
            json.put("room_id", roomId);
        }
        json.set("content", content);
        json.put("origin_server_ts", 1_700_000_000_000L + counter);
        json.put("depth", counter + 1);
        json.set("prev_events", edges(last.map(Pdu::eventId).stream().toList()));
        json.set("auth_events", edges(authEvents));
        ServerName server = UserId.parse(sender).server();
        if (version.eventFormat().eventIdInEvent()) {
            json.put("event_id", "$" + (++counter) + ":" + server.value());
        } else {
            counter++;
        }
        return EventSigning.hashAndSign(json, version, server, keys.get(server));
    }

    /** Applies a (signed) event to the room: the timeline, and the state if it is a state event. */
    Pdu send(ObjectNode json) {
        Pdu pdu = Pdus.fromJson(json, version);
        if (pdu.type().equals("m.room.create") && version.eventFormat().roomIdFromCreateEvent()) {
            roomId = RoomId.fromCreateEvent(pdu.eventId()).value();
        }
        events.put(pdu.eventId(), pdu);
        last = Optional.of(pdu);
        pdu.stateKey().ifPresent(k -> state.put(new StateTuple(pdu.type(), k), pdu));
        return pdu;
    }

    /** The current state, as a copy. */
    Map<StateTuple, Pdu> state() {
        return Map.copyOf(state);
    }

    Pdu get(StateTuple key) {
        return state.get(key);
    }

    /** The events {@code json} cites, plus the create event (which version 12 events never cite). */
    List<Pdu> authEventsOf(ObjectNode json) {
        Pdu pdu = Pdus.fromJson(json, version);
        List<Pdu> result = new ArrayList<>();
        pdu.authEventIds().stream().map(events::get).filter(e -> e != null).forEach(result::add);
        Pdu create = state.get(StateTuple.CREATE);
        if (create != null && !result.contains(create)) {
            result.add(create);
        }
        return result;
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
}
