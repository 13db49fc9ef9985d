package dev.myelin.server.handler.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.Redaction;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.AuthRules;
import dev.myelin.federation.api.SpaceRoomSummary;
import dev.myelin.server.handler.federation.RoomServerAcls;
import dev.myelin.server.handler.room.RoomStateReader;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.room.RemoteInvite;
import dev.myelin.storage.room.RemoteInviteStore;
import dev.myelin.storage.room.Room;
import dev.myelin.storage.room.RoomStore;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The rooms of a space hierarchy that this server holds: their summaries with their {@code
 * m.space.child} links, and who may see them. A user may see a room they are joined or invited to,
 * a room anyone may join or knock on, a {@code world_readable} room, and a restricted room whose
 * allow list names a room they are joined to; another server may see what one of its users could
 * see by being joined or invited to the room, or joined to a room its allow list names, unless the
 * room's server ACL keeps it out. These are the spec's rules for {@code /hierarchy}, as Synapse applies them.
 */
public final class LocalSpaces {
    private static final String SPACE = "m.space";
    private static final String ROOM_MEMBERSHIP = "m.room_membership";
    /** The state a summary reads, besides the {@code m.space.child} links. */
    private static final Set<String> SUMMARY_TYPES = Set.of(
            "m.room.create",
            "m.room.name",
            "m.room.topic",
            "m.room.canonical_alias",
            "m.room.avatar",
            "m.room.join_rules",
            "m.room.history_visibility",
            "m.room.guest_access",
            "m.room.encryption");

    private final ServerName serverName;
    private final RoomStore rooms;
    private final StateStore state;
    private final RoomStateReader roomState;
    private final RoomServerAcls acls;
    private final RemoteInviteStore remoteInvites;

    public LocalSpaces(
            ServerName serverName,
            RoomStore rooms,
            StateStore state,
            RoomStateReader roomState,
            RoomServerAcls acls,
            RemoteInviteStore remoteInvites) {
        this.serverName = serverName;
        this.rooms = rooms;
        this.state = state;
        this.roomState = roomState;
        this.acls = acls;
        this.remoteInvites = remoteInvites;
    }

    /**
     * A room this server knows: the ids of its current state, and the events of it that a summary
     * and its checks read (not the members: a big room has many), read once.
     */
    record LocalRoom(Room room, Map<StateKey, EventId> ids, Map<StateKey, StoredEvent> current) {
        Optional<String> text(String type, String field) {
            StoredEvent event = current.get(StateKey.of(type, ""));
            if (event == null) {
                return Optional.empty();
            }
            JsonNode value = content(event).get(field);
            return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
        }

        Optional<String> joinRule() {
            return text("m.room.join_rules", "join_rule");
        }

        boolean worldReadable() {
            return text("m.room.history_visibility", "history_visibility")
                    .filter("world_readable"::equals)
                    .isPresent();
        }

        boolean isSpace() {
            return text("m.room.create", "type").filter(SPACE::equals).isPresent();
        }

        /** Anyone may join or knock, whatever their memberships. */
        boolean openToAll() {
            Optional<AuthRules> rules = room.version().map(v -> v.auth());
            return switch (joinRule().orElse("")) {
                case "public" -> true;
                case "knock" -> rules.map(AuthRules::knocking).orElse(false);
                case "knock_restricted" ->
                    rules.map(AuthRules::knockRestrictedJoins).orElse(false);
                default -> false;
            };
        }

        /** The rooms a restricted join rule lets members of join; null when the rule is not restricted. */
        @Nullable
        List<String> allowedRoomIds() {
            String rule = joinRule().orElse("");
            Optional<AuthRules> rules = room.version().map(v -> v.auth());
            boolean restricted = (rule.equals("restricted")
                            && rules.map(AuthRules::restrictedJoins).orElse(false))
                    || (rule.equals("knock_restricted")
                            && rules.map(AuthRules::knockRestrictedJoins).orElse(false));
            if (!restricted) {
                return null;
            }
            List<String> allowed = new ArrayList<>();
            StoredEvent joinRules = current.get(StateKey.of("m.room.join_rules", ""));
            for (JsonNode entry : content(joinRules).path("allow")) {
                String id = entry.path("room_id").asText("");
                if (ROOM_MEMBERSHIP.equals(entry.path("type").asText())
                        && RoomId.isValid(id)
                        && !allowed.contains(id)) {
                    allowed.add(id);
                }
            }
            return allowed;
        }

        /** The valid {@code m.space.child} events, stripped, in the order of their links. */
        List<ObjectNode> childrenState(boolean suggestedOnly) {
            List<ObjectNode> stripped = new ArrayList<>();
            current.entrySet().stream()
                    .filter(e -> e.getKey().type().equals(SpaceChild.TYPE))
                    .sorted(Map.Entry.comparingByKey(Comparator.comparing(StateKey::stateKey)))
                    .forEach(e -> stripped.add(stripped(e.getValue())));
            List<SpaceChild> links = SpaceChild.linksIn(stripped, suggestedOnly);
            List<ObjectNode> ordered = new ArrayList<>();
            for (SpaceChild link : links) {
                stripped.stream()
                        .filter(s ->
                                s.path("state_key").asText().equals(link.room().value()))
                        .findFirst()
                        .ifPresent(ordered::add);
            }
            return ordered;
        }

        private static ObjectNode stripped(StoredEvent event) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("type", event.pdu().type());
            out.put("state_key", event.pdu().stateKey().orElse(""));
            out.set("content", content(event).deepCopy());
            out.put("sender", event.pdu().sender().toString());
            out.put("origin_server_ts", event.pdu().originServerTs());
            return out;
        }

        private static JsonNode content(@Nullable StoredEvent event) {
            if (event == null) {
                return JsonNodeFactory.instance.objectNode();
            }
            return event.redactedBy().isPresent()
                    ? Redaction.redact(event.pdu()).content()
                    : event.pdu().content();
        }
    }

    /** The membership {@code user} has in {@code room} as far as this server knows. */
    Optional<String> membership(RoomId room, UserId user) {
        return roomState.membership(room, user);
    }

    /** Whether this server is in {@code room} now, so that its copy of the room is current. */
    public boolean isResident(RoomId room) {
        return state.joinedMembers(room).stream().anyMatch(u -> u.server().equals(serverName));
    }

    /** The room as this server knows it; empty when it knows no state of it or not its version. */
    Optional<LocalRoom> find(RoomId room) {
        Optional<Room> known = rooms.get(room);
        if (known.isEmpty() || known.get().version().isEmpty()) {
            // a room of a version this code does not know cannot be summarised or checked
            return Optional.empty();
        }
        Map<StateKey, EventId> ids = state.currentState(room);
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        Map<StateKey, EventId> read = new HashMap<>();
        ids.forEach((key, id) -> {
            if (key.type().equals(SpaceChild.TYPE)
                    || (key.stateKey().isEmpty() && SUMMARY_TYPES.contains(key.type()))) {
                read.put(key, id);
            }
        });
        return Optional.of(new LocalRoom(known.get(), ids, roomState.events(read)));
    }

    /**
     * The room's summary; {@code children_state} holds its links (the suggested ones only, when
     * asked) when it is a space and {@code withChildren}, else nothing.
     */
    SpaceRoomSummary summary(LocalRoom local, boolean suggestedOnly, boolean withChildren) {
        RoomId id = local.room().roomId();
        return new SpaceRoomSummary(
                id.value(),
                local.text("m.room.name", "name").orElse(null),
                local.text("m.room.topic", "topic").orElse(null),
                local.text("m.room.canonical_alias", "alias").orElse(null),
                state.joinedMemberCount(id),
                local.text("m.room.avatar", "url").orElse(null),
                local.joinRule().orElse(null),
                local.worldReadable(),
                local.text("m.room.guest_access", "guest_access")
                        .filter("can_join"::equals)
                        .isPresent(),
                local.text("m.room.create", "type").orElse(null),
                local.room().versionId(),
                local.text("m.room.encryption", "algorithm").orElse(null),
                local.allowedRoomIds(),
                withChildren && local.isSpace() ? local.childrenState(suggestedOnly) : List.of());
    }

    /** Whether {@code user} may see the room in a hierarchy. */
    boolean visibleTo(UserId user, LocalRoom local) {
        if (local.openToAll() || local.worldReadable()) {
            return true;
        }
        RoomId id = local.room().roomId();
        Optional<String> membership = roomState.membership(id, user);
        if (membership.filter(m -> m.equals("join") || m.equals("invite")).isPresent()) {
            return true;
        }
        List<String> allowed = local.allowedRoomIds();
        return allowed != null && allowed.stream().map(RoomId::parse).anyMatch(r -> roomState.isJoined(r, user));
    }

    /** Whether {@code server} may see the room in a hierarchy. */
    boolean visibleTo(ServerName server, LocalRoom local) {
        RoomId id = local.room().roomId();
        if (!acls.allows(id, server)) {
            return false;
        }
        if (local.openToAll() || local.worldReadable() || hasJoinedOrInvited(local, server)) {
            return true;
        }
        List<String> allowed = local.allowedRoomIds();
        return allowed != null && allowed.stream().map(RoomId::parse).anyMatch(r -> hasJoinedMember(r, server));
    }

    /**
     * Whether {@code user} may see a room another server summarised: one anyone may join, knock on
     * or read, one whose allow list names a room the user is joined to here, or one they are joined
     * or invited to as far as this server knows (an invite from another server included).
     */
    boolean visibleTo(UserId user, SpaceRoomSummary remote) {
        String rule = remote.joinRule() == null ? "" : remote.joinRule();
        if (Set.of("public", "knock", "knock_restricted").contains(rule) || remote.worldReadable()) {
            return true;
        }
        List<String> allowed = remote.allowedRoomIds() == null ? List.of() : remote.allowedRoomIds();
        for (String room : allowed) {
            if (RoomId.isValid(room) && roomState.isJoined(RoomId.parse(room), user)) {
                return true;
            }
        }
        RoomId room = RoomId.parse(remote.roomId());
        return roomState
                        .membership(room, user)
                        .filter(m -> m.equals("join") || m.equals("invite"))
                        .isPresent()
                || remoteInvites.get(user, room).filter(RemoteInvite::pending).isPresent();
    }

    /** Whether one of {@code server}'s users is joined to or invited to the room. */
    private boolean hasJoinedOrInvited(LocalRoom local, ServerName server) {
        String suffix = ":" + server;
        Map<StateKey, EventId> members = new HashMap<>();
        local.ids().forEach((key, id) -> {
            String user = key.stateKey();
            if (key.type().equals("m.room.member")
                    && user.endsWith(suffix)
                    && user.indexOf(':') == user.length() - suffix.length()) {
                members.put(key, id);
            }
        });
        return roomState.events(members).values().stream()
                .map(e -> LocalRoom.content(e).path("membership").asText(""))
                .anyMatch(m -> m.equals("join") || m.equals("invite"));
    }

    private boolean hasJoinedMember(RoomId room, ServerName server) {
        return state.joinedMembers(room).stream().anyMatch(u -> u.server().equals(server));
    }
}
