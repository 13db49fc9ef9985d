package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
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
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.storage.event.EventStore;
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
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#joining-rooms">Joining rooms</a>
 */
public final class ResidentJoins {
    private static final String MEMBER = "m.room.member";

    private final ServerName self;
    private final RoomStore rooms;
    private final EventStore events;
    private final StateStore state;
    private final EventCreator creator;
    private final ReceivedEvents received;
    private final RoomServerAcls acls;
    private final RoomEventFanOut fanOut;

    public ResidentJoins(
            ServerName self,
            RoomStore rooms,
            EventStore events,
            StateStore state,
            EventCreator creator,
            ReceivedEvents received,
            RoomServerAcls acls,
            RoomEventFanOut fanOut) {
        this.self = self;
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
     * as the spec says) and would let the user join.
     */
    public MakeJoinResponse makeJoin(ServerName origin, RoomId roomId, UserId user, List<String> supportedVersions) {
        RoomVersion version = residentRoom(roomId);
        acls.check(roomId, origin);
        List<String> versions = supportedVersions.isEmpty() ? List.of("1") : supportedVersions;
        if (!versions.contains(version.id())) {
            throw new MatrixException(
                    400,
                    ErrorCode.INCOMPATIBLE_ROOM_VERSION,
                    "Your homeserver does not support the features required to join this room",
                    Map.of("room_version", TextNode.valueOf(version.id())),
                    null);
        }
        return new MakeJoinResponse(template(origin, roomId, user, "join"), version.id());
    }

    /** A leave event template for {@code user} of {@code origin} (make_leave). */
    public MakeJoinResponse makeLeave(ServerName origin, RoomId roomId, UserId user) {
        RoomVersion version = residentRoom(roomId);
        acls.check(roomId, origin);
        return new MakeJoinResponse(template(origin, roomId, user, "leave"), version.id());
    }

    /** Adds {@code origin}'s signed leave event to the room (send_leave). */
    public void sendLeave(ServerName origin, RoomId roomId, String eventId, ObjectNode json) {
        accept(origin, roomId, eventId, json, "leave");
    }

    private ObjectNode template(ServerName origin, RoomId roomId, UserId user, String membership) {
        if (!user.server().equals(origin)) {
            throw MatrixException.forbidden("A server can only make membership events for its own users");
        }
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("membership", membership);
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
        return new SendJoinResponse(
                self.toString(), received.forFederation(stateIds), received.forFederation(chain), null, false, servers);
    }

    private record Accepted(Pdu event, Map<StateKey, EventId> stateBefore) {}

    private Accepted accept(ServerName origin, RoomId roomId, String eventId, ObjectNode json, String membership) {
        RoomVersion version = residentRoom(roomId);
        acls.check(roomId, origin);
        PduVerdict verified = received.verify(json, version, received.keysFor(List.of(json)));
        Pdu event = switch (verified) {
            case PduVerdict.Accepted accepted -> accepted.event();
            case PduVerdict.Dropped dropped
            when dropped.step() == PduCheckStep.SIGNATURES ->
                throw MatrixException.forbidden("Invalid signature: " + dropped.reason());
            case PduVerdict.Dropped dropped -> throw MatrixException.badJson("Invalid event: " + dropped.reason());
            case PduVerdict.Rejected rejected -> throw MatrixException.forbidden(rejected.reason());
            case PduVerdict.SoftFailed softFailed -> throw MatrixException.forbidden(softFailed.reason());
        };
        checkMemberEvent(origin, roomId, eventId, event, membership);
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
        return new Accepted(event, stateBefore);
    }

    private void checkMemberEvent(ServerName origin, RoomId roomId, String eventId, Pdu event, String membership) {
        if (!event.eventId().value().equals(eventId)) {
            throw MatrixException.badJson("The event id " + event.eventId() + " is not the one in the path");
        }
        if (!event.roomId().equals(roomId)) {
            throw MatrixException.badJson("The event is for another room");
        }
        if (!event.type().equals(MEMBER)
                || !event.content().path("membership").asText().equals(membership)
                || !event.stateKey().filter(event.sender().toString()::equals).isPresent()) {
            throw MatrixException.badJson("Not a " + membership + " event of its sender");
        }
        if (!event.sender().server().equals(origin)) {
            throw MatrixException.forbidden("A server can only send membership events of its own users");
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
