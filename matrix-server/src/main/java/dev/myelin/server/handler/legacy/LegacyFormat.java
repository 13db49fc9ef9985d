package dev.myelin.server.handler.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.presence.PresenceStatus;
import dev.myelin.server.handler.push.PushRulesHandler;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.storage.account.AccountDataChange;
import dev.myelin.storage.account.TagStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.receipt.Receipt;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shapes of the deprecated {@code /events} and {@code /initialSync} APIs, which predate
 * {@code /sync}: events carry their {@code room_id}, ephemeral events name their room with a
 * top-level {@code room_id} instead of sitting under it, and room events are in the first client
 * format, which also has {@code user_id} (the sender) and repeats some {@code unsigned} keys at the
 * top level. Clients written for those APIs read these keys, so they are kept as they were.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3events">GET /events</a>
 */
final class LegacyFormat {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** {@code unsigned} keys the first client format also had at the top level of an event. */
    private static final List<String> TOP_LEVEL_UNSIGNED = List.of(
            "age", "redacted_because", "replaces_state", "prev_content", "invite_room_state", "knock_room_state");

    private final ClientEvents clientEvents;

    LegacyFormat(ClientEvents clientEvents) {
        this.clientEvents = clientEvents;
    }

    /** The events in order, in the first client format. */
    ArrayNode events(Collection<StoredEvent> events, ClientEvents.Viewer viewer) {
        ArrayNode out = NODES.arrayNode();
        for (ObjectNode event : clientEvents.render(events, viewer, false)) {
            out.add(legacy(event));
        }
        return out;
    }

    /** One event in the first client format. */
    ObjectNode event(StoredEvent event, ClientEvents.Viewer viewer) {
        return legacy(clientEvents.format(event, viewer));
    }

    private static ObjectNode legacy(ObjectNode event) {
        event.set("user_id", event.get("sender"));
        JsonNode unsigned = event.path("unsigned");
        for (String key : TOP_LEVEL_UNSIGNED) {
            if (unsigned.has(key)) {
                event.set(key, unsigned.get(key).deepCopy());
            }
        }
        return event;
    }

    /**
     * An {@code m.presence} event: the content names the user, as these APIs always did, and
     * {@code sender} does too, as {@code /sync} has it.
     */
    static ObjectNode presence(PresenceStatus status, long nowMillis) {
        ObjectNode event = NODES.objectNode();
        event.put("type", "m.presence");
        event.put("sender", status.user().toString());
        ObjectNode content = status.content(nowMillis);
        content.put("user_id", status.user().toString());
        event.set("content", content);
        return event;
    }

    /** An {@code m.typing} event of {@code room} listing who types there now. */
    static ObjectNode typing(RoomId room, List<UserId> typing) {
        ObjectNode event = NODES.objectNode();
        event.put("type", "m.typing");
        event.put("room_id", room.value());
        ArrayNode users = event.putObject("content").putArray("user_ids");
        typing.forEach(u -> users.add(u.toString()));
        return event;
    }

    /**
     * One {@code m.receipt} event per room of {@code receipts}, rooms in the order they first
     * appear; private receipts are only the viewer's own.
     */
    static List<ObjectNode> receipts(Collection<Receipt> receipts, UserId viewer) {
        Map<RoomId, ObjectNode> byRoom = new LinkedHashMap<>();
        for (Receipt r : receipts) {
            if (r.receiptType().equals("m.read.private") && !r.user().equals(viewer)) {
                continue;
            }
            ObjectNode content = byRoom.computeIfAbsent(r.room(), room -> NODES.objectNode());
            ObjectNode byEvent = content.has(r.eventId().value())
                    ? (ObjectNode) content.get(r.eventId().value())
                    : content.putObject(r.eventId().value());
            ObjectNode byType = byEvent.has(r.receiptType())
                    ? (ObjectNode) byEvent.get(r.receiptType())
                    : byEvent.putObject(r.receiptType());
            byType.set(r.user().toString(), r.data().deepCopy());
        }
        return byRoom.entrySet().stream()
                .map(entry -> {
                    ObjectNode event = NODES.objectNode();
                    event.put("type", "m.receipt");
                    event.put("room_id", entry.getKey().value());
                    event.set("content", entry.getValue());
                    return event;
                })
                .toList();
    }

    /**
     * An account data event; a room's names its room when {@code withRoomId} (the event stream
     * mixes every room's), not where the room's entry holds it (initial sync).
     */
    static ObjectNode accountData(AccountDataChange change, boolean withRoomId) {
        ObjectNode event = NODES.objectNode();
        event.put("type", change.type());
        event.set("content", change.content().deepCopy());
        if (withRoomId) {
            change.room().ifPresent(room -> event.put("room_id", room.value()));
        }
        return event;
    }

    /**
     * Whether an account data entry is served by these APIs: not push rules (served by their own
     * API, never part of the legacy account data), and not a room's {@code m.tag} once its last
     * tag is gone when {@code skipEmptyTags} (a snapshot lists only rooms' actual tags; the event
     * stream must still report the removal).
     */
    static boolean served(AccountDataChange change, boolean skipEmptyTags) {
        if (change.room().isEmpty() && change.type().equals(PushRulesHandler.ACCOUNT_DATA_TYPE)) {
            return false;
        }
        return !(skipEmptyTags
                && change.room().isPresent()
                && change.type().equals(TagStore.TAG_EVENT_TYPE)
                && change.content().path("tags").isEmpty());
    }
}
