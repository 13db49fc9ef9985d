package dev.myelin.server.handler.legacy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.RoomReadHandler;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;

/**
 * The deprecated {@code GET /events/{eventId}}: one event by id alone, in the first client format,
 * if the user may see it. Unlike {@code /rooms/{roomId}/event/{eventId}} it names no room, so the
 * answer for an event the user may not read is the same 404 as for an unknown one: it does not
 * tell whether the event exists.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3eventseventid">spec</a>
 */
public final class LegacyEventReader {
    private final EventStore events;
    private final RoomReadHandler reads;
    private final LegacyFormat format;

    public LegacyEventReader(EventStore events, RoomReadHandler reads, ClientEvents clientEvents) {
        this.events = events;
        this.reads = reads;
        this.format = new LegacyFormat(clientEvents);
    }

    /** The event, or 404 {@code M_NOT_FOUND}. */
    public ObjectNode event(ClientEvents.Viewer viewer, EventId id) {
        StoredEvent event = events.get(id)
                .filter(e -> !e.outlier() && e.rejectionReason().isEmpty())
                .orElseThrow(LegacyEventReader::notFound);
        StoredEvent visible;
        try {
            visible = reads.event(viewer.user(), event.pdu().roomId(), id);
        } catch (MatrixException e) {
            if (e.status() == 403) {
                throw notFound();
            }
            throw e;
        }
        return format.event(visible, viewer);
    }

    private static MatrixException notFound() {
        return MatrixException.notFound("Event not found.");
    }
}
