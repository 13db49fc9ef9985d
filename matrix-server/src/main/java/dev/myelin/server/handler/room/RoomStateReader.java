package dev.myelin.server.handler.room;

import dev.myelin.core.auth.PowerLevels;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.room.Room;
import dev.myelin.storage.room.RoomStore;
import dev.myelin.storage.state.StateKey;
import dev.myelin.storage.state.StateStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads of a room's state as events: the current state, the state after an event, a user's
 * membership and the power levels. Shared by the membership, state, timeline and directory handlers.
 */
public final class RoomStateReader {
    static final String MEMBER = "m.room.member";

    private final RoomStore roomStore;
    private final StateStore stateStore;
    private final EventStore eventStore;

    public RoomStateReader(RoomStore roomStore, StateStore stateStore, EventStore eventStore) {
        this.roomStore = roomStore;
        this.stateStore = stateStore;
        this.eventStore = eventStore;
    }

    /** The room, or 404 {@code M_NOT_FOUND} when this server does not know it. */
    public Room requireRoom(RoomId room) {
        return roomStore.get(room).orElseThrow(() -> MatrixException.notFound("Unknown room " + room));
    }

    /** The room's version, or 404 when unknown (rooms of unsupported versions are not served). */
    public RoomVersion requireVersion(RoomId room) {
        return requireRoom(room).version().orElseThrow(() -> MatrixException.notFound("Unknown room " + room));
    }

    public Optional<StoredEvent> currentEvent(RoomId room, String type, String stateKey) {
        return stateStore.currentStateEvent(room, StateKey.of(type, stateKey)).flatMap(eventStore::get);
    }

    /** The user's current membership event in the room. */
    public Optional<StoredEvent> memberEvent(RoomId room, UserId user) {
        return currentEvent(room, MEMBER, user.toString());
    }

    /** The user's current membership ({@code "join"}, {@code "leave"}, ...), if they have one. */
    public Optional<String> membership(RoomId room, UserId user) {
        return memberEvent(room, user).map(e -> membershipOf(e.pdu()));
    }

    public boolean isJoined(RoomId room, UserId user) {
        return membership(room, user).filter("join"::equals).isPresent();
    }

    /** The state events named by {@code state}, keyed as given; ids the store does not know are left out. */
    public Map<StateKey, StoredEvent> events(Map<StateKey, EventId> state) {
        Map<EventId, StoredEvent> byId = eventStore.getAll(state.values());
        Map<StateKey, StoredEvent> out = new LinkedHashMap<>();
        state.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(
                        java.util.Comparator.comparing(StateKey::type).thenComparing(StateKey::stateKey)))
                .forEach(e -> {
                    StoredEvent event = byId.get(e.getValue());
                    if (event != null) {
                        out.put(e.getKey(), event);
                    }
                });
        return out;
    }

    public Map<StateKey, StoredEvent> currentStateEvents(RoomId room) {
        return events(stateStore.currentState(room));
    }

    /** The state after {@code event} (including it when it is a state event). */
    public Map<StateKey, EventId> stateAfter(EventId event) {
        return stateStore.stateAt(event).orElse(Map.of());
    }

    /**
     * The state just before {@code event}: the state after its prev event. Local events always have
     * one prev event or a common state among several, so the first one is enough.
     */
    public Map<StateKey, EventId> stateBefore(StoredEvent event) {
        List<EventId> prevs = event.pdu().prevEventIds();
        return prevs.isEmpty() ? Map.of() : stateAfter(prevs.getFirst());
    }

    /** The current power levels of the room. */
    public PowerLevels powerLevels(RoomId room) {
        RoomVersion version = requireVersion(room);
        return PowerLevels.of(
                version,
                currentEvent(room, "m.room.create", "").map(StoredEvent::pdu).orElse(null),
                currentEvent(room, "m.room.power_levels", "")
                        .map(StoredEvent::pdu)
                        .orElse(null));
    }

    static String membershipOf(Pdu member) {
        return member.content().path("membership").asText("");
    }
}
