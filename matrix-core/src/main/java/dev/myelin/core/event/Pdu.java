package dev.myelin.core.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import java.util.List;
import java.util.Optional;

/**
 * A persistent data unit: a room event as servers exchange it, in the format of its room version.
 * There is one implementation per {@link dev.myelin.core.room.EventFormat}; {@link #of} picks it.
 *
 * <p>A Pdu is immutable: accessors read a private copy of the JSON, and {@link #json()} returns a
 * fresh copy. The constructor checks the keys every event must have (type, sender, room, depth,
 * timestamps, edges, content) and throws {@link InvalidEventException} naming the first bad key.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#pdus">PDUs</a>
 */
public sealed interface Pdu permits PduV1, PduV3, PduV4, PduV12 {

    /**
     * Wraps an event received or built for {@code version}. For hash-based formats the caller
     * supplies the event id it computed from the reference hash (see {@code EventHashes}); for the
     * v1 format the id must equal the event's own {@code event_id}.
     */
    static Pdu of(RoomVersion version, ObjectNode json, EventId eventId) {
        ObjectNode copy = json.deepCopy();
        return switch (version.eventFormat()) {
            case V1 -> new PduV1(version, copy, eventId);
            case V3 -> new PduV3(version, copy, eventId);
            case V4 -> new PduV4(version, copy, eventId);
            case V12 -> new PduV12(version, copy, eventId);
        };
    }

    /**
     * The version of the room the event belongs to, which decides its format and rules.
     *
     * @return the room version
     */
    RoomVersion version();

    /**
     * The event's id: given in the event before room version 3, its reference hash from then on.
     *
     * @return the event id
     */
    EventId eventId();

    /**
     * The room the event belongs to (for a version 12 create event, derived from its id).
     *
     * @return the room id
     */
    RoomId roomId();

    /**
     * The user who sent the event.
     *
     * @return the sender
     */
    UserId sender();

    /**
     * The event type, e.g. {@code m.room.message}.
     *
     * @return the type
     */
    String type();

    /** The state key; present exactly when this is a state event. */
    Optional<String> stateKey();

    /**
     * Whether this is a state event.
     *
     * @return true when it has a state key
     */
    default boolean isState() {
        return stateKey().isPresent();
    }

    /** True when this is a state event of {@code type} with {@code stateKey}. */
    default boolean isState(String type, String stateKey) {
        return type().equals(type) && stateKey().filter(stateKey::equals).isPresent();
    }

    /** The event content. Callers must not modify it. */
    ObjectNode content();

    /**
     * The events this one follows in the room DAG.
     *
     * @return the {@code prev_events} ids
     */
    List<EventId> prevEventIds();

    /**
     * The events that authorise this one.
     *
     * @return the {@code auth_events} ids
     */
    List<EventId> authEventIds();

    /**
     * The event's depth in the DAG.
     *
     * @return the depth
     */
    long depth();

    /**
     * When the sending server created the event.
     *
     * @return milliseconds since the epoch
     */
    long originServerTs();

    /** The event this redaction redacts (top level before v11, in content from v11). */
    Optional<EventId> redacts();

    /** The {@code unsigned} object, empty when absent. Callers must not modify it. */
    ObjectNode unsigned();

    /** A copy of the whole event JSON. */
    ObjectNode json();
}
