package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.event.EventSigning;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.pdu.PduCheckStep;
import dev.myelin.core.pdu.PduVerdict;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.state.AuthChain;
import dev.myelin.federation.api.MakeJoinResponse;
import dev.myelin.federation.api.SendJoinResponse;
import dev.myelin.federation.api.SendKnockResponse;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.server.handler.room.RestrictedJoinAuthoriser;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.persist.EventContext;
import dev.myelin.storage.room.Room;
import dev.myelin.storage.room.RoomStore;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * This server as the resident server of a join over federation: {@code make_join} hands another
 * server a join event to sign for its user, {@code send_join} takes the signed event, checks it as
 * any received PDU and against the room's state, adds it to the room (and so to every other
 * server in it), and answers with the state before it and its auth chain.
 *
 * <p>A join of a restricted room names, in {@code join_authorised_via_users_server}, a user of this
 * server who may invite ({@link RestrictedJoinAuthoriser}); {@code send_join} checks the joiner
 * still meets the room's conditions, adds this server's signature and answers with the signed
 * event. Knocks ({@code make_knock}, {@code send_knock}) and leaves ({@code make_leave}, {@code
 * send_leave}) take the same path, a knock answered with the room's stripped state.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#joining-rooms">Joining rooms</a>
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#knocking-upon-a-room">Knocking upon a room</a>
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#restricted-rooms">Restricted rooms</a>
 */
public final class ResidentJoins {
    private static final String MEMBER = "m.room.member";
    private static final String AUTHORISER = "join_authorised_via_users_server";
    /** The state a knocker may see before joining, as the spec's stripped state lists it. */
    private static final List<String> STRIPPED_TYPES = List.of(
            "m.room.create",
            "m.room.name",
            "m.room.avatar",
            "m.room.topic",
            "m.room.join_rules",
            "m.room.canonical_alias",
            "m.room.encryption");

    private final ServerName self;
    private final SigningKey signingKey;
    private final RoomStore rooms;
    private final EventStore events;
    private final StateStore state;
    private final EventCreator creator;
    private final ReceivedEvents received;
    private final RoomServerAcls acls;
    private final RoomEventFanOut fanOut;
    private final RestrictedJoinAuthoriser restricted;

    public ResidentJoins(
            ServerName self,
            SigningKey signingKey,
            RoomStore rooms,
            EventStore events,
            StateStore state,
            EventCreator creator,
            ReceivedEvents received,
            RoomServerAcls acls,
            RoomEventFanOut fanOut,
            RestrictedJoinAuthoriser restricted) {
        this.self = self;
        this.signingKey = signingKey;
        this.restricted = restricted;
        this.rooms = rooms;
        this.events = events;
        this.state = state;
        this.creator = creator;
        this.received = received;
        this.acls = acls;
        this.fanOut = fanOut;
    }

    /**
     * A join event template for {@code user} of {@code origin}, when the room is one of this
     * server's, has a version {@code origin} supports ({@code ver}; none given means version 1 only,
     * as the spec says) and would let the user join. For a restricted room the template names the
     * local user who authorises the join.
     *
     * @throws MatrixException for a restricted room, 403 when the user is in none of the allowed
     *     rooms, 400 {@code M_UNABLE_TO_AUTHORISE_JOIN} when this server is in none of them, 400
     *     {@code M_UNABLE_TO_GRANT_JOIN} when no local member can invite
     */
    public MakeJoinResponse makeJoin(ServerName origin, RoomId roomId, UserId user, List<String> supportedVersions) {
        RoomVersion version = residentRoom(roomId);
        acls.check(roomId, origin);
        requireSupported(version, supportedVersions, "join");
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("membership", "join");
        if (user.server().equals(origin)) {
            restricted
                    .authoriserFor(roomId, user, true)
                    .ifPresent(authoriser -> content.put(AUTHORISER, authoriser.toString()));
        }
        return new MakeJoinResponse(template(origin, roomId, user, content), version.id());
    }

    /**
     * A knock event template for {@code user} of {@code origin} (make_knock), when the room's
     * version has knocking, {@code origin} supports it ({@code ver}) and the room's join rule lets
     * the user knock.
     */
    public MakeJoinResponse makeKnock(ServerName origin, RoomId roomId, UserId user, List<String> supportedVersions) {
        RoomVersion version = residentRoom(roomId);
        acls.check(roomId, origin);
        if (!version.auth().knocking()) {
            throw MatrixException.forbidden("Room version " + version.id() + " does not support knocking");
        }
        requireSupported(version, supportedVersions, "knock on");
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("membership", "knock");
        return new MakeJoinResponse(template(origin, roomId, user, content), version.id());
    }

    /** Adds {@code origin}'s signed knock event to the room (send_knock) and answers with the room's stripped state. */
    public SendKnockResponse sendKnock(ServerName origin, RoomId roomId, EventId eventId, ObjectNode json) {
        Accepted accepted = accept(origin, roomId, eventId.value(), json, "knock");
        return new SendKnockResponse(strippedState(accepted.stateBefore()));
    }

    private static void requireSupported(RoomVersion version, List<String> supportedVersions, String action) {
        // none given means version 1 only, as the spec says
        List<String> versions = supportedVersions.isEmpty() ? List.of("1") : supportedVersions;
        if (!versions.contains(version.id())) {
            throw new MatrixException(
                    400,
                    ErrorCode.INCOMPATIBLE_ROOM_VERSION,
                    "Your homeserver does not support the features required to " + action + " this room",
                    Map.of("room_version", TextNode.valueOf(version.id())),
                    null);
        }
    }

    /** A leave event template for {@code user} of {@code origin} (make_leave). */
    public MakeJoinResponse makeLeave(ServerName origin, RoomId roomId, UserId user) {
        RoomVersion version = residentRoom(roomId);
        acls.check(roomId, origin);
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("membership", "leave");
        return new MakeJoinResponse(template(origin, roomId, user, content), version.id());
    }

    /** Adds {@code origin}'s signed leave event to the room (send_leave). */
    public void sendLeave(ServerName origin, RoomId roomId, String eventId, ObjectNode json) {
        accept(origin, roomId, eventId, json, "leave");
    }

    private ObjectNode template(ServerName origin, RoomId roomId, UserId user, ObjectNode content) {
        if (!user.server().equals(origin)) {
            throw MatrixException.forbidden("A server can only make membership events for its own users");
        }
        Pdu built = creator.buildWithoutPersisting(EventRequest.state(roomId, user, MEMBER, user.toString(), content));
        ObjectNode template = ReceivedEvents.forFederation(built);
        // the other server signs the event and, where the version says so, names it
        template.remove("signatures");
        template.remove("hashes");
        template.remove("event_id");
        return template;
    }

    /** Adds {@code origin}'s signed join event to the room and answers with the room's state before it. */
    public SendJoinResponse sendJoin(ServerName origin, RoomId roomId, String eventId, ObjectNode json) {
        Accepted accepted = accept(origin, roomId, eventId, json, "join");
        Pdu event = accepted.event();
        Map<StateKey, EventId> stateBefore = accepted.stateBefore();
        Set<EventId> stateIds = new HashSet<>(stateBefore.values());
        Set<EventId> chainFrom = new HashSet<>(stateIds);
        chainFrom.addAll(event.authEventIds());
        Set<EventId> chain = AuthChain.of(chainFrom, received.lookup());
        List<String> servers = new ArrayList<>(serversIn(stateBefore));
        ObjectNode signed = accepted.authorisedHere() ? ReceivedEvents.forFederation(event) : null;
        return new SendJoinResponse(
                self.toString(),
                received.forFederation(stateIds),
                received.forFederation(chain),
                signed,
                false,
                servers);
    }

    private record Accepted(Pdu event, Map<StateKey, EventId> stateBefore, boolean authorisedHere) {}

    private Accepted accept(ServerName origin, RoomId roomId, String eventId, ObjectNode json, String membership) {
        RoomVersion version = residentRoom(roomId);
        acls.check(roomId, origin);
        boolean authorisedHere = authorisedHere(roomId, version, json, membership);
        ObjectNode toCheck = authorisedHere ? EventSigning.sign(json, version, self, signingKey) : json;
        PduVerdict verified = received.verify(toCheck, version, received.keysFor(List.of(toCheck)));
        Pdu event = switch (verified) {
            case PduVerdict.Accepted accepted -> accepted.event();
            case PduVerdict.Dropped dropped
            when dropped.step() == PduCheckStep.SIGNATURES ->
                throw invalid(membership, true, "Invalid signature: " + dropped.reason());
            case PduVerdict.Dropped dropped -> throw invalid(membership, false, "Invalid event: " + dropped.reason());
            case PduVerdict.Rejected rejected -> throw MatrixException.forbidden(rejected.reason());
            case PduVerdict.SoftFailed softFailed -> throw MatrixException.forbidden(softFailed.reason());
        };
        checkMemberEvent(origin, roomId, eventId, event, membership);
        if (authorisedHere) {
            // the conditions make_join checked, again: the joiner may have left the allowed room since
            restricted.authoriserFor(roomId, event.sender(), true);
        }
        Map<StateKey, EventId> stateBefore = creator.withRoomLocked(roomId, () -> {
            Map<StateKey, EventId> before = received.stateBefore(version, event.prevEventIds())
                    .orElseThrow(() ->
                            MatrixException.badJson("The event's prev_events are not events of this room known here"));
            if (events.exists(event.eventId())) {
                // sent again (a retry): answer as the first time
                return before;
            }
            PduVerdict authorized = received.authorize(event, before, state.currentState(roomId));
            if (!(authorized instanceof PduVerdict.Accepted)) {
                String reason = authorized instanceof PduVerdict.Rejected r
                        ? r.reason()
                        : ((PduVerdict.SoftFailed) authorized).reason();
                throw MatrixException.forbidden("The " + membership + " is not allowed: " + reason);
            }
            EventContext context =
                    event.prevEventIds().size() == 1 ? EventContext.normal() : EventContext.withStateBefore(before);
            creator.persistReceived(event, context);
            fanOut.forward(event, origin);
            return before;
        });
        return new Accepted(event, stateBefore, authorisedHere);
    }

    /**
     * Whether {@code json} is a join naming a user of this server in {@code
     * join_authorised_via_users_server} in a room version with restricted joins: this server then
     * signs it before the checks, which require that signature (the auth rules still decide
     * whether that user may authorise it). A join naming another server's user is 400: this
     * server cannot add the signature it needs.
     */
    private boolean authorisedHere(RoomId roomId, RoomVersion version, ObjectNode json, String membership) {
        if (!membership.equals("join") || !version.auth().restrictedJoins()) {
            return false;
        }
        JsonNode authoriser = json.path("content").path(AUTHORISER);
        if (!authoriser.isTextual() || !UserId.isValid(authoriser.asText())) {
            return false;
        }
        if (!UserId.parse(authoriser.asText()).server().equals(self)) {
            // only the authorising user's server can sign for them, and that is not this one
            throw MatrixException.badJson("This server cannot authorise a join on behalf of another server's user");
        }
        return true;
    }

    /**
     * A malformed member event: 400 {@code M_INVALID_PARAM} for a knock, as the spec asks of {@code
     * send_knock}; for joins and leaves 400 {@code M_BAD_JSON}, or 403 for a bad signature.
     */
    private static MatrixException invalid(String membership, boolean signature, String message) {
        if (membership.equals("knock")) {
            return new MatrixException(400, ErrorCode.INVALID_PARAM, message);
        }
        return signature ? MatrixException.forbidden(message) : MatrixException.badJson(message);
    }

    /** The spec's stripped state of the room from {@code stateMap}: {@code type}, {@code state_key}, {@code content}, {@code sender}. */
    private List<ObjectNode> strippedState(Map<StateKey, EventId> stateMap) {
        List<EventId> ids = new ArrayList<>();
        for (String type : STRIPPED_TYPES) {
            EventId id = stateMap.get(StateKey.of(type, ""));
            if (id != null) {
                ids.add(id);
            }
        }
        Map<EventId, StoredEvent> loaded = events.getAll(ids);
        List<ObjectNode> out = new ArrayList<>();
        for (EventId id : ids) {
            StoredEvent event = loaded.get(id);
            if (event != null) {
                ObjectNode stripped = JsonNodeFactory.instance.objectNode();
                stripped.put("type", event.pdu().type());
                stripped.put("state_key", event.pdu().stateKey().orElse(""));
                stripped.set("content", event.pdu().content().deepCopy());
                stripped.put("sender", event.pdu().sender().toString());
                out.add(stripped);
            }
        }
        return out;
    }

    private void checkMemberEvent(ServerName origin, RoomId roomId, String eventId, Pdu event, String membership) {
        if (!event.eventId().value().equals(eventId)) {
            throw invalid(membership, false, "The event id " + event.eventId() + " is not the one in the path");
        }
        if (!event.roomId().equals(roomId)) {
            throw invalid(membership, false, "The event is for another room");
        }
        if (!event.type().equals(MEMBER)
                || !event.content().path("membership").asText().equals(membership)
                || !event.stateKey().filter(event.sender().toString()::equals).isPresent()) {
            throw invalid(membership, false, "Not a " + membership + " event of its sender");
        }
        if (!event.sender().server().equals(origin)) {
            String message = "A server can only send membership events of its own users";
            throw membership.equals("knock") ? invalid(membership, false, message) : MatrixException.forbidden(message);
        }
    }

    /** The room's version, when this server is in the room (has a joined user); 404 otherwise. */
    private RoomVersion residentRoom(RoomId roomId) {
        Optional<Room> room = rooms.get(roomId);
        if (room.isEmpty()
                || state.joinedMembers(roomId).stream()
                        .noneMatch(u -> u.server().equals(self))) {
            throw MatrixException.notFound("Unknown room " + roomId);
        }
        return room.get()
                .version()
                .orElseThrow(() -> new MatrixException(
                        400,
                        ErrorCode.UNSUPPORTED_ROOM_VERSION,
                        "Room version " + room.get().versionId() + " is not supported"));
    }

    private Set<String> serversIn(Map<StateKey, EventId> stateMap) {
        Set<String> servers = new TreeSet<>();
        servers.add(self.toString());
        List<EventId> members = stateMap.entrySet().stream()
                .filter(e -> e.getKey().type().equals(MEMBER))
                .map(Map.Entry::getValue)
                .toList();
        events.getAll(members).values().stream()
                .map(m -> m.pdu())
                .filter(m -> m.content().path("membership").asText().equals("join"))
                .forEach(m -> m.stateKey()
                        .filter(UserId::isValid)
                        .ifPresent(u -> servers.add(UserId.parse(u).server().toString())));
        return servers;
    }
}
