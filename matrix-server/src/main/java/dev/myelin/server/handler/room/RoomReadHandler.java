package dev.myelin.server.handler.room;

import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.event.Direction;
import dev.myelin.storage.event.EventPage;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.RoomPosition;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.room.ForgottenRoomStore;
import dev.myelin.storage.state.StateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads of a room for a user: whether they may read it at all, its state as they may see it, single
 * events and members. Users who left (and have not forgotten the room) keep reading the room as it
 * was when they left; everyone else, banned users too (as Synapse answers them), needs to be joined
 * unless the room is world_readable. Events always go through {@link HistoryVisibilityFilter}.
 */
public final class RoomReadHandler {
    private final ForgottenRoomStore forgottenRooms;
    private final EventStore eventStore;
    private final RoomStateReader state;
    private final HistoryVisibilityFilter visibility;

    public RoomReadHandler(
            ForgottenRoomStore forgottenRooms,
            EventStore eventStore,
            RoomStateReader state,
            HistoryVisibilityFilter visibility) {
        this.forgottenRooms = forgottenRooms;
        this.eventStore = eventStore;
        this.state = state;
        this.visibility = visibility;
    }

    /**
     * What a user may read of a room.
     *
     * @param leftAt the member event that ended their membership, for users who left: they read the
     *               room up to it; empty for joined users and readers of a world_readable room
     */
    public record Access(RoomId room, Optional<StoredEvent> leftAt) {
        /** The last position this reader may see: just after their leave, or the end of the room. */
        public RoomPosition limit() {
            return leftAt.map(StoredEvent::position).orElse(RoomPosition.END);
        }
    }

    /**
     * The user's access to the room; 404 when the room is unknown, 403 {@code M_FORBIDDEN} when the
     * user is not (and was never) in it and it is not world_readable.
     */
    public Access access(UserId user, RoomId room) {
        state.requireRoom(room);
        Optional<StoredEvent> member = state.memberEvent(room, user);
        String membership =
                member.map(e -> RoomStateReader.membershipOf(e.pdu())).orElse("");
        if (membership.equals("join")) {
            return new Access(room, Optional.empty());
        }
        if (visibility.isWorldReadable(room)) {
            return new Access(room, Optional.empty());
        }
        if (membership.equals("leave") && !forgottenRooms.isForgotten(user, room)) {
            return new Access(room, member);
        }
        throw MatrixException.forbidden("User " + user + " not in room " + room + ", and room previews are disabled");
    }

    /** The user must be joined now (or the room world_readable). */
    public Access requireJoinedOrWorldReadable(UserId user, RoomId room) {
        Access access = access(user, room);
        if (access.leftAt().isPresent()) {
            throw MatrixException.forbidden("User " + user + " not in room " + room);
        }
        return access;
    }

    /** The room state as the user sees it: current, or as it was when they left. */
    public Map<StateKey, StoredEvent> state(UserId user, RoomId room) {
        Access access = access(user, room);
        return access.leftAt()
                .map(left -> state.events(state.stateAfter(left.eventId())))
                .orElseGet(() -> state.currentStateEvents(room));
    }

    public Optional<StoredEvent> stateEvent(UserId user, RoomId room, String type, String stateKey) {
        return Optional.ofNullable(state(user, room).get(StateKey.of(type, stateKey)));
    }

    /**
     * One event of the room if the user may see it; 404 {@code M_NOT_FOUND} otherwise, also when the
     * user may not read the room at all, so that the answer does not tell whether the event exists.
     *
     * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomideventeventid">spec</a>
     */
    public StoredEvent event(UserId user, RoomId room, EventId eventId) {
        try {
            access(user, room);
        } catch (MatrixException e) {
            if (e.status() == 403) {
                throw MatrixException.notFound("Event not found.");
            }
            throw e;
        }
        return eventStore
                .get(eventId)
                .filter(e -> e.pdu().roomId().equals(room))
                .flatMap(e -> visibility.visible(user, e))
                .orElseThrow(() -> MatrixException.notFound("Event not found."));
    }

    /**
     * The member events of the room, at the point {@code at} (a pagination token's position) or as the
     * user sees the room now; {@code membership}/{@code notMembership} filter by membership.
     */
    public List<StoredEvent> members(
            UserId user,
            RoomId room,
            Optional<RoomPosition> at,
            Optional<String> membership,
            Optional<String> notMembership) {
        Access access = access(user, room);
        Map<StateKey, StoredEvent> roomState;
        if (at.isPresent()) {
            RoomPosition point = at.get().compareTo(access.limit()) < 0 ? at.get() : access.limit();
            EventPage page = eventStore.roomEventsBetween(room, point, RoomPosition.START, 1, Direction.BACKWARDS);
            roomState = page.events().isEmpty()
                    ? Map.of()
                    : state.events(state.stateAfter(page.events().getFirst().eventId()));
        } else {
            roomState = state(user, room);
        }
        List<StoredEvent> out = new ArrayList<>();
        roomState.forEach((key, event) -> {
            if (!key.type().equals(RoomStateReader.MEMBER)) {
                return;
            }
            String value = RoomStateReader.membershipOf(event.pdu());
            if (membership.filter(m -> !m.equals(value)).isPresent()
                    || notMembership.filter(m -> m.equals(value)).isPresent()) {
                return;
            }
            out.add(event);
        });
        return out;
    }

    /** The joined members with their current display names and avatars; joined users only. */
    public Map<StateKey, StoredEvent> joinedMembers(UserId user, RoomId room) {
        requireJoinedOrWorldReadable(user, room);
        Map<StateKey, StoredEvent> out = new java.util.LinkedHashMap<>();
        state.currentStateEvents(room).forEach((key, event) -> {
            if (key.type().equals(RoomStateReader.MEMBER)
                    && RoomStateReader.membershipOf(event.pdu()).equals("join")) {
                out.put(key, event);
            }
        });
        return out;
    }
}
