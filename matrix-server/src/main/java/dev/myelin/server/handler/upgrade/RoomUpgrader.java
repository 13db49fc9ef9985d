package dev.myelin.server.handler.upgrade;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.auth.PowerLevels;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.room.CreateRoomRequest;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.server.handler.room.RoomCreator;
import dev.myelin.server.handler.room.RoomStateReader;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.room.RoomStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades a room to a new room version: creates the replacement room (its create event naming
 * the old room as {@code predecessor}) with the old room's power levels, join rules, history
 * visibility, guest access, name, topic, avatar, encryption and server ACL; sends
 * {@code m.room.tombstone} into the old room; moves the public directory listing; and, as Synapse
 * does, raises the old room's {@code events_default} and {@code invite} levels so that ordinary
 * members stop talking there.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#room-upgrades">Room upgrades</a>
 */
public final class RoomUpgrader {
    private static final Logger LOG = LoggerFactory.getLogger(RoomUpgrader.class);
    /** State copied as it is into the new room. */
    private static final List<String> COPIED_STATE = List.of(
            "m.room.join_rules",
            "m.room.history_visibility",
            "m.room.guest_access",
            "m.room.name",
            "m.room.topic",
            "m.room.avatar",
            "m.room.encryption",
            "m.room.server_acl");

    /** The highest level the default power levels ask for; the upgrader holds it while copying state. */
    private static final long MAX_NEEDED_LEVEL = 100;

    private final EventStore eventStore;
    private final RoomStore roomStore;
    private final EventCreator events;
    private final RoomCreator rooms;
    private final RoomStateReader state;

    public RoomUpgrader(
            EventStore eventStore, RoomStore roomStore, EventCreator events, RoomCreator rooms, RoomStateReader state) {
        this.eventStore = eventStore;
        this.roomStore = roomStore;
        this.events = events;
        this.rooms = rooms;
        this.state = state;
    }

    /** Upgrades {@code room} and returns the replacement room's id. */
    public RoomId upgrade(UserId user, RoomId room, String newVersionId) {
        RoomVersion version = RoomVersions.find(newVersionId)
                .orElseThrow(() -> new MatrixException(
                        400, ErrorCode.UNSUPPORTED_ROOM_VERSION, "Room version " + newVersionId + " is not supported"));
        boolean listed = state.requireRoom(room).isPublic();
        if (!state.isJoined(room, user)) {
            throw MatrixException.forbidden("You are not joined to " + room);
        }
        PowerLevels levels = state.powerLevels(room);
        if (levels.userLevel(user) < levels.eventLevel("m.room.tombstone", true)) {
            throw MatrixException.forbidden("You do not have the power to upgrade this room");
        }

        ObjectNode creation = JsonNodeFactory.instance.objectNode();
        ObjectNode oldCreate = state.currentEvent(room, "m.room.create", "")
                .map(e -> e.pdu().content())
                .orElseGet(JsonNodeFactory.instance::objectNode);
        for (String key : List.of("type", "m.federate")) {
            if (oldCreate.has(key)) {
                creation.set(key, oldCreate.get(key).deepCopy());
            }
        }
        ObjectNode predecessor = creation.putObject("predecessor").put("room_id", room.value());
        eventStore.forwardExtremities(room).stream()
                .sorted()
                .findFirst()
                .ifPresent(last -> predecessor.put("event_id", last.value()));

        List<CreateRoomRequest.EventRequestTemplate> initial = new ArrayList<>();
        for (String type : COPIED_STATE) {
            state.currentEvent(room, type, "")
                    .ifPresent(e -> initial.add(new CreateRoomRequest.EventRequestTemplate(
                            type, "", e.pdu().content().deepCopy())));
        }
        Optional<ObjectNode> powerLevels = state.currentEvent(room, "m.room.power_levels", "")
                .map(e -> e.pdu().content().deepCopy());
        if (version.auth().creatorsHaveInfinitePower()) {
            // creators of such rooms are above power levels and must not be listed in them
            powerLevels
                    .map(p -> p.get("users"))
                    .filter(ObjectNode.class::isInstance)
                    .ifPresent(users -> ((ObjectNode) users).remove(user.toString()));
        }
        if (!version.auth().creatorsHaveInfinitePower() && levels.userLevel(user) == PowerLevels.INFINITE) {
            // a creator of the old room was above power levels; in the new one they get the top level
            powerLevels.ifPresent(p -> (p.get("users") instanceof ObjectNode users ? users : p.putObject("users"))
                    .put(user.toString(), MAX_NEEDED_LEVEL));
        }
        // the upgrader needs the power to send the copied state; the old levels are restored after
        Optional<ObjectNode> raised = powerLevels.map(ObjectNode::deepCopy);
        if (!version.auth().creatorsHaveInfinitePower()) {
            raised.ifPresent(p -> (p.get("users") instanceof ObjectNode users ? users : p.putObject("users"))
                    .put(
                            user.toString(),
                            Math.max(MAX_NEEDED_LEVEL, Math.min(levels.userLevel(user), MAX_NEEDED_LEVEL))));
        }
        RoomId replacement = rooms.create(new CreateRoomRequest(
                user,
                version,
                CreateRoomRequest.Preset.PRIVATE_CHAT,
                listed,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                false,
                initial,
                creation,
                raised));
        if (powerLevels.isPresent() && !powerLevels.equals(raised)) {
            events.create(EventRequest.state(replacement, user, "m.room.power_levels", "", powerLevels.get()));
        }

        events.create(EventRequest.state(
                room,
                user,
                "m.room.tombstone",
                "",
                JsonNodeFactory.instance
                        .objectNode()
                        .put("body", "This room has been replaced")
                        .put("replacement_room", replacement.value())));
        if (listed) {
            roomStore.setPublic(room, false);
        }
        restrictOldRoom(user, room);
        return replacement;
    }

    private void restrictOldRoom(UserId user, RoomId room) {
        Optional<StoredEvent> current = state.currentEvent(room, "m.room.power_levels", "");
        if (current.isEmpty()) {
            return;
        }
        ObjectNode content = current.get().pdu().content().deepCopy();
        long restricted = Math.max(50, content.path("users_default").asLong(0) + 1);
        boolean changed = false;
        for (String key : List.of("events_default", "invite")) {
            if (content.path(key).asLong(0) < restricted) {
                content.put(key, restricted);
                changed = true;
            }
        }
        if (!changed) {
            return;
        }
        try {
            events.create(EventRequest.state(room, user, "m.room.power_levels", "", content));
        } catch (MatrixException e) {
            LOG.info("could not restrict the old room {} after its upgrade", room, e);
        }
    }
}
