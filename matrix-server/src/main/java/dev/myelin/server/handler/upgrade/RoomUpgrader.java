package dev.myelin.server.handler.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.auth.PowerLevels;
import dev.myelin.core.id.RoomAlias;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.room.CanonicalAliasCheck;
import dev.myelin.server.handler.room.CreateRoomRequest;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.server.handler.room.RoomCreator;
import dev.myelin.server.handler.room.RoomStateReader;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.room.RoomAliasStore;
import dev.myelin.storage.room.RoomStore;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades a room to a new room version, in Synapse's order: creates the replacement room (its
 * create event naming the old room and its tombstone as {@code predecessor}) with the old room's
 * power levels, join rules, history visibility, guest access, name, topic, avatar, encryption,
 * server ACL and bans; sends {@code m.room.tombstone} into the old room; moves the local aliases
 * and the canonical alias, and the public directory listing; copies the settings of the local
 * users still in the old room ({@link RoomSettingsTransfer}); and raises the old room's {@code
 * events_default} and {@code invite} levels so that ordinary members stop talking there.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#room-upgrades">Room upgrades</a>
 */
public final class RoomUpgrader {
    private static final Logger LOG = LoggerFactory.getLogger(RoomUpgrader.class);
    private static final String POWER_LEVELS = "m.room.power_levels";
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

    /** The level a creator of a version 12 room, above power levels, gets in an older version's room. */
    private static final long CREATOR_LEVEL = 100;

    private final RoomStore roomStore;
    private final StateStore stateStore;
    private final RoomAliasStore aliases;
    private final EventCreator events;
    private final RoomCreator rooms;
    private final RoomStateReader state;
    private final RoomSettingsTransfer settings;
    private final ServerName serverName;

    public RoomUpgrader(
            RoomStore roomStore,
            StateStore stateStore,
            RoomAliasStore aliases,
            EventCreator events,
            RoomCreator rooms,
            RoomStateReader state,
            RoomSettingsTransfer settings,
            ServerName serverName) {
        this.roomStore = roomStore;
        this.stateStore = stateStore;
        this.aliases = aliases;
        this.events = events;
        this.rooms = rooms;
        this.state = state;
        this.settings = settings;
        this.serverName = serverName;
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
        Optional<ObjectNode> powerLevels = finalPowerLevels(user, room, version, levels);
        Replacement replacement = new Replacement(user, room, version, listed, powerLevels);

        RoomId newRoom;
        if (version.eventFormat().roomIdFromCreateEvent()) {
            // the new room's id is the hash of its create event, so the tombstone naming it can only
            // follow it; the spec lets predecessor.event_id be left out for these versions
            newRoom = replacement.create(Optional.empty(), Optional.empty());
            events.create(tombstone(user, room, newRoom));
        } else {
            RoomId chosen = rooms.newRoomId();
            events.createAfter(
                    tombstone(user, room, chosen),
                    tombstoneId -> replacement.create(Optional.of(chosen), Optional.of(tombstoneId.value())));
            newRoom = chosen;
        }

        moveAliases(user, room, newRoom);
        if (listed) {
            roomStore.setPublic(room, false);
        }
        for (UserId member : stateStore.joinedMembers(room)) {
            if (member.server().equals(serverName)) {
                settings.copy(member, room, newRoom);
            }
        }
        restrictOldRoom(user, room);
        if (powerLevels.isPresent() && !powerLevels.equals(replacement.initialPowerLevels())) {
            events.create(EventRequest.state(newRoom, user, POWER_LEVELS, "", powerLevels.get()));
        }
        return newRoom;
    }

    private static EventRequest tombstone(UserId user, RoomId room, RoomId replacement) {
        return EventRequest.state(
                room,
                user,
                "m.room.tombstone",
                "",
                JsonNodeFactory.instance
                        .objectNode()
                        .put("body", "This room has been replaced")
                        .put("replacement_room", replacement.value()));
    }

    /** The power levels the new room ends with: the old room's, fitted to the new version's creators. */
    private Optional<ObjectNode> finalPowerLevels(UserId user, RoomId room, RoomVersion version, PowerLevels levels) {
        Optional<ObjectNode> content = state.currentEvent(room, POWER_LEVELS, "")
                .map(e -> e.pdu().content().deepCopy());
        if (version.auth().creatorsHaveInfinitePower()) {
            // creators of such rooms are above power levels and must not be listed in them
            content.map(p -> p.get("users"))
                    .filter(ObjectNode.class::isInstance)
                    .ifPresent(users -> ((ObjectNode) users).remove(user.toString()));
        } else if (levels.userLevel(user) == PowerLevels.INFINITE) {
            // a creator of the old room was above power levels; in the new one they get the top level
            content.ifPresent(p -> users(p).put(user.toString(), CREATOR_LEVEL));
        }
        return content;
    }

    /**
     * The new room being made. Until its final power levels are sent, the upgrader holds the level
     * needed to send any of the copied state and the bans, as in Synapse.
     */
    private final class Replacement {
        private final UserId user;
        private final RoomId oldRoom;
        private final RoomVersion version;
        private final boolean listed;
        private final Optional<ObjectNode> initialPowerLevels;

        Replacement(UserId user, RoomId oldRoom, RoomVersion version, boolean listed, Optional<ObjectNode> levels) {
            this.user = user;
            this.oldRoom = oldRoom;
            this.version = version;
            this.listed = listed;
            this.initialPowerLevels = levels.map(p -> raised(p.deepCopy()));
        }

        Optional<ObjectNode> initialPowerLevels() {
            return initialPowerLevels;
        }

        private ObjectNode raised(ObjectNode content) {
            if (version.auth().creatorsHaveInfinitePower()) {
                return content;
            }
            long needed = Math.max(
                    Math.max(level(content.get("state_default"), 50), level(content.get("ban"), 50)),
                    maxEventLevel(content.get("events")));
            long current = content.path("users").has(user.toString())
                    ? level(content.path("users").get(user.toString()), 0)
                    : level(content.get("users_default"), 0);
            if (current < needed) {
                users(content).put(user.toString(), needed);
            }
            return content;
        }

        RoomId create(Optional<RoomId> chosenId, Optional<String> tombstoneId) {
            ObjectNode creation = JsonNodeFactory.instance.objectNode();
            ObjectNode oldCreate = state.currentEvent(oldRoom, "m.room.create", "")
                    .map(e -> e.pdu().content())
                    .orElseGet(JsonNodeFactory.instance::objectNode);
            for (String key : List.of("type", "m.federate")) {
                if (oldCreate.has(key)) {
                    creation.set(key, oldCreate.get(key).deepCopy());
                }
            }
            ObjectNode predecessor = creation.putObject("predecessor").put("room_id", oldRoom.value());
            tombstoneId.ifPresent(id -> predecessor.put("event_id", id));

            List<CreateRoomRequest.EventRequestTemplate> initial = new ArrayList<>();
            for (String type : COPIED_STATE) {
                state.currentEvent(oldRoom, type, "")
                        .ifPresent(e -> initial.add(new CreateRoomRequest.EventRequestTemplate(
                                type, "", e.pdu().content().deepCopy())));
            }
            RoomId created = rooms.create(
                    new CreateRoomRequest(
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
                            initialPowerLevels),
                    chosenId);
            copyBans(created);
            return created;
        }

        /** Bans carry over: a banned user would otherwise just join the new room. */
        private void copyBans(RoomId created) {
            state.currentStateEvents(oldRoom).values().stream()
                    .filter(e -> e.pdu().type().equals("m.room.member"))
                    .filter(e -> e.pdu().content().path("membership").asText("").equals("ban"))
                    .forEach(ban -> ban.pdu().stateKey().ifPresent(target -> {
                        try {
                            events.create(EventRequest.state(
                                    created,
                                    user,
                                    "m.room.member",
                                    target,
                                    ban.pdu().content().deepCopy()));
                        } catch (MatrixException e) {
                            LOG.info("could not copy the ban of {} into {}: {}", target, created, e.getMessage());
                        }
                    }));
        }
    }

    /**
     * Points the old room's local aliases at the new room and moves the canonical alias with them:
     * the new room gets this server's aliases, the old room keeps only those of other servers.
     */
    private void moveAliases(UserId user, RoomId oldRoom, RoomId newRoom) {
        aliases.moveAll(oldRoom, newRoom);
        Optional<StoredEvent> canonical = state.currentEvent(oldRoom, CanonicalAliasCheck.TYPE, "");
        if (canonical.isEmpty()) {
            return;
        }
        ObjectNode oldContent = canonical.get().pdu().content().deepCopy();
        ObjectNode newContent = JsonNodeFactory.instance.objectNode();
        JsonNode alias = oldContent.get("alias");
        if (alias != null && isLocalAlias(alias)) {
            newContent.set("alias", alias);
            oldContent.remove("alias");
        }
        if (oldContent.get("alt_aliases") instanceof ArrayNode alt) {
            ArrayNode kept = alt.arrayNode();
            ArrayNode moved = alt.arrayNode();
            alt.forEach(entry -> (isLocalAlias(entry) ? moved : kept).add(entry));
            if (!moved.isEmpty()) {
                newContent.set("alt_aliases", moved);
            }
            if (kept.isEmpty()) {
                oldContent.remove("alt_aliases");
            } else {
                oldContent.set("alt_aliases", kept);
            }
        }
        sendQuietly(EventRequest.state(oldRoom, user, CanonicalAliasCheck.TYPE, "", oldContent));
        sendQuietly(EventRequest.state(newRoom, user, CanonicalAliasCheck.TYPE, "", newContent));
    }

    private boolean isLocalAlias(JsonNode value) {
        if (!value.isTextual()) {
            return false;
        }
        try {
            return RoomAlias.parse(value.asText()).server().equals(serverName);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Sends an event the upgrade can do without: the new room is there whether or not it goes out. */
    private void sendQuietly(EventRequest request) {
        try {
            events.create(request);
        } catch (MatrixException e) {
            LOG.info(
                    "could not send {} into {} during an upgrade: {}",
                    request.type(),
                    request.roomId(),
                    e.getMessage());
        }
    }

    private void restrictOldRoom(UserId user, RoomId room) {
        Optional<StoredEvent> current = state.currentEvent(room, POWER_LEVELS, "");
        if (current.isEmpty()) {
            return;
        }
        ObjectNode content = current.get().pdu().content().deepCopy();
        long restricted = Math.max(50, level(content.get("users_default"), 0) + 1);
        boolean changed = false;
        for (String key : List.of("events_default", "invite")) {
            if (level(content.get(key), 0) < restricted) {
                content.put(key, restricted);
                changed = true;
            }
        }
        if (changed) {
            sendQuietly(EventRequest.state(room, user, POWER_LEVELS, "", content));
        }
    }

    private static ObjectNode users(ObjectNode powerLevels) {
        return powerLevels.get("users") instanceof ObjectNode users ? users : powerLevels.putObject("users");
    }

    private static long maxEventLevel(JsonNode eventLevels) {
        long max = 0;
        if (eventLevels instanceof ObjectNode levels) {
            for (JsonNode value : levels) {
                max = Math.max(max, level(value, 0));
            }
        }
        return max;
    }

    /** A power level as content holds it: an integer, or (in old room versions) a numeric string. */
    private static long level(JsonNode value, long fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.asText().trim());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }
}
