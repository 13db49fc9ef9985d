package dev.myelin.server.handler.room;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.RoomAlias;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.federation.InviteExchange;
import dev.myelin.storage.account.Profile;
import dev.myelin.storage.account.ProfileStore;
import dev.myelin.storage.room.RoomAliasStore;
import dev.myelin.storage.room.RoomStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Creates rooms: the create event, the creator's join, power levels, join rules, history
 * visibility and guest access from the preset, then {@code initial_state}, name, topic and
 * invites, in the order the spec gives.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#creation">Room creation</a>
 */
public final class RoomCreator {
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /** The state a preset sets, which {@code initial_state} may replace. */
    private static final Set<String> PRESET_TYPES =
            Set.of("m.room.join_rules", "m.room.history_visibility", "m.room.guest_access");

    private final RoomAliasStore aliases;
    private final RoomStore roomStore;
    private final ProfileStore profiles;
    private final EventCreator events;
    private final ServerName serverName;
    private final InviteExchange inviteExchange;
    private final SecureRandom random = new SecureRandom();

    public RoomCreator(
            RoomAliasStore aliases,
            RoomStore roomStore,
            ProfileStore profiles,
            EventCreator events,
            ServerName serverName,
            InviteExchange inviteExchange) {
        this.aliases = aliases;
        this.roomStore = roomStore;
        this.profiles = profiles;
        this.events = events;
        this.serverName = serverName;
        this.inviteExchange = inviteExchange;
    }

    public RoomId create(CreateRoomRequest request) {
        return create(request, Optional.empty());
    }

    /**
     * Creates a room under {@code chosenId}, an id from {@link #newRoomId()}, which a room upgrade
     * needs to know before the room exists; versions whose room id is their create event's hash
     * cannot take one.
     */
    public RoomId create(CreateRoomRequest request, Optional<RoomId> chosenId) {
        RoomVersion version = request.version();
        if (chosenId.isPresent() && version.eventFormat().roomIdFromCreateEvent()) {
            throw new IllegalArgumentException("room version " + version.id() + " derives its room ids");
        }
        Optional<RoomAlias> alias = request.aliasLocalpart().map(this::alias);
        if (alias.isPresent() && aliases.resolve(alias.get()).isPresent()) {
            throw new MatrixException(400, ErrorCode.ROOM_IN_USE, "Room alias already taken");
        }

        ObjectNode createContent = request.creationContent().deepCopy();
        createContent.put("room_version", version.id());
        if (!version.auth().implicitRoomCreator()) {
            createContent.put("creator", request.creator().toString());
        } else {
            createContent.remove("creator");
        }
        boolean hashRoomId = version.eventFormat().roomIdFromCreateEvent();
        Optional<RoomId> roomId = hashRoomId ? Optional.empty() : Optional.of(chosenId.orElseGet(this::newRoomId));
        Pdu create = events.buildCreateEvent(version, roomId, request.creator(), createContent);
        RoomId room = create.roomId();
        List<EventRequest> initial = initialEvents(request, version, room, alias);
        events.checkInitialEvents(create, initial);
        roomStore.create(room, version, request.creator(), request.publicVisibility());
        events.createRoomEvent(create);
        events.createAll(room, initial);
        alias.ifPresent(a -> aliases.create(a, room, request.creator()));
        // another server's user is invited once the room exists, as their server signs the invite
        for (UserId invitee : request.invites()) {
            if (!invitee.server().equals(serverName)) {
                events.createExchanged(inviteOf(request, room, invitee), inviteExchange::exchange);
            }
        }
        return room;
    }

    private List<EventRequest> initialEvents(
            CreateRoomRequest request, RoomVersion version, RoomId room, Optional<RoomAlias> alias) {
        List<EventRequest> initial = new ArrayList<>();
        initial.add(EventRequest.state(
                room,
                request.creator(),
                "m.room.member",
                request.creator().toString(),
                memberContent("join", request.creator(), false)));
        initial.add(
                EventRequest.state(room, request.creator(), "m.room.power_levels", "", powerLevels(request, version)));
        alias.ifPresent(a -> initial.add(EventRequest.state(
                room,
                request.creator(),
                "m.room.canonical_alias",
                "",
                JsonNodeFactory.instance.objectNode().put("alias", a.toString()))));

        Map<String, ObjectNode> presetState = new LinkedHashMap<>();
        presetState.put("m.room.join_rules", object("join_rule", request.preset().joinRule));
        presetState.put("m.room.history_visibility", object("history_visibility", request.preset().historyVisibility));
        request.preset()
                .guestAccess
                .ifPresent(access -> presetState.put("m.room.guest_access", object("guest_access", access)));
        // initial_state replaces preset events of the same type (all of these have an empty state key).
        List<CreateRoomRequest.EventRequestTemplate> extra = new ArrayList<>();
        for (CreateRoomRequest.EventRequestTemplate template : request.initialState()) {
            if (template.stateKey().isEmpty() && PRESET_TYPES.contains(template.type())) {
                presetState.put(template.type(), template.content());
            } else {
                extra.add(template);
            }
        }
        presetState.forEach(
                (type, content) -> initial.add(EventRequest.state(room, request.creator(), type, "", content)));
        for (CreateRoomRequest.EventRequestTemplate template : extra) {
            if ((template.type().equals("m.room.name") && request.name().isPresent())
                    || (template.type().equals("m.room.topic")
                            && request.topic().isPresent())) {
                continue;
            }
            initial.add(EventRequest.state(
                    room, request.creator(), template.type(), template.stateKey(), template.content()));
        }
        request.name()
                .ifPresent(name -> initial.add(
                        EventRequest.state(room, request.creator(), "m.room.name", "", object("name", name))));
        request.topic()
                .ifPresent(topic -> initial.add(
                        EventRequest.state(room, request.creator(), "m.room.topic", "", topicContent(topic))));
        for (UserId invitee : request.invites()) {
            if (invitee.server().equals(serverName)) {
                initial.add(inviteOf(request, room, invitee));
            }
        }
        return initial;
    }

    private EventRequest inviteOf(CreateRoomRequest request, RoomId room, UserId invitee) {
        return EventRequest.state(
                room,
                request.creator(),
                "m.room.member",
                invitee.toString(),
                memberContent("invite", invitee, request.isDirect()));
    }

    private ObjectNode memberContent(String membership, UserId user, boolean isDirect) {
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("membership", membership);
        Profile profile = profiles.get(user);
        profile.displayName().ifPresent(name -> content.put("displayname", name));
        profile.avatarUrl().ifPresent(url -> content.put("avatar_url", url));
        if (isDirect) {
            content.put("is_direct", true);
        }
        return content;
    }

    private static ObjectNode topicContent(String topic) {
        ObjectNode content = object("topic", topic);
        content.putArray("m.topic").addObject().put("body", topic).put("mimetype", "text/plain");
        return content;
    }

    private ObjectNode powerLevels(CreateRoomRequest request, RoomVersion version) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        ObjectNode users = content.putObject("users");
        if (!version.auth().creatorsHaveInfinitePower()) {
            users.put(request.creator().toString(), 100);
        }
        if (request.preset() == CreateRoomRequest.Preset.TRUSTED_PRIVATE_CHAT) {
            request.invites().forEach(invitee -> users.put(invitee.toString(), 100));
        }
        content.put("users_default", 0);
        ObjectNode eventLevels = content.putObject("events");
        eventLevels.put("m.room.name", 50);
        eventLevels.put("m.room.power_levels", 100);
        eventLevels.put("m.room.history_visibility", 100);
        eventLevels.put("m.room.canonical_alias", 50);
        eventLevels.put("m.room.avatar", 50);
        eventLevels.put("m.room.tombstone", version.auth().creatorsHaveInfinitePower() ? 150 : 100);
        eventLevels.put("m.room.server_acl", 100);
        eventLevels.put("m.room.encryption", 100);
        content.put("events_default", 0);
        content.put("state_default", 50);
        content.put("ban", 50);
        content.put("kick", 50);
        content.put("redact", 50);
        content.put("invite", 0);
        content.putObject("notifications").put("room", 50);
        request.powerLevelOverride()
                .ifPresent(override -> override.properties()
                        .forEach(entry ->
                                content.set(entry.getKey(), entry.getValue().deepCopy())));
        return content;
    }

    private RoomAlias alias(String localpart) {
        try {
            return new RoomAlias(localpart, serverName);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("room_alias_name", e.getMessage());
        }
    }

    /** A fresh random room id of this server, for room versions whose ids are not derived. */
    public RoomId newRoomId() {
        StringBuilder opaque = new StringBuilder(18);
        for (int i = 0; i < 18; i++) {
            opaque.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return RoomId.of(opaque.toString(), serverName);
    }

    private static ObjectNode object(String key, String value) {
        return JsonNodeFactory.instance.objectNode().put(key, value);
    }
}
