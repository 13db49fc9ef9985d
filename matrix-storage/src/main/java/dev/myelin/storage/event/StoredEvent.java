package dev.myelin.storage.event;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import java.util.Optional;

/**
 * An event as persisted, with where it sits in the room.
 *
 * @param pdu                 the event as received or created
 * @param streamOrdering      its position on the events stream (the order this server learned of events)
 * @param topologicalOrdering its position in the room's DAG (its depth), for /messages
 * @param outlier             whether it was stored without state (e.g. fetched only as an auth event)
 * @param rejectionReason     why it failed authorization, if it did
 * @param redactedBy          the redaction that redacts it, if any
 */
public record StoredEvent(
        Pdu pdu,
        long streamOrdering,
        long topologicalOrdering,
        boolean outlier,
        Optional<String> rejectionReason,
        Optional<EventId> redactedBy) {

    /**
     * The event's id.
     *
     * @return the id of {@link #pdu()}
     */
    public EventId eventId() {
        return pdu.eventId();
    }

    /** The token just after this event in its room. */
    public RoomPosition position() {
        return new RoomPosition(topologicalOrdering, streamOrdering);
    }
}
