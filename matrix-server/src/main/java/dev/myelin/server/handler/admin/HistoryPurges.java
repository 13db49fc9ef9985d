package dev.myelin.server.handler.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.room.RoomStateReader;
import dev.myelin.storage.event.Direction;
import dev.myelin.storage.event.EventPage;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.RoomPosition;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.room.RoomPurger;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synapse's purge history API: deletes a room's timeline events before a point (an event, or a
 * time), in the background and chunk by chunk ({@link RoomPurger#purgeHistory}). State events stay
 * (the state of the remaining events and the current state are built from them), as do the room's
 * latest events and, unless asked, the events this server's users sent.
 *
 * <p>Statuses are held in memory: they do not outlive the process.
 */
public final class HistoryPurges {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryPurges.class);

    /** One purge's progress: {@code active}, {@code complete} or {@code failed} (with {@code error}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(String status, @Nullable String error) {}

    private final ServerName serverName;
    private final RoomStateReader roomState;
    private final EventStore events;
    private final RoomPurger purger;
    private final Map<String, Status> statuses = new ConcurrentHashMap<>();

    public HistoryPurges(ServerName serverName, RoomStateReader roomState, EventStore events, RoomPurger purger) {
        this.serverName = serverName;
        this.roomState = roomState;
        this.events = events;
        this.purger = purger;
    }

    /**
     * Starts purging the history of {@code room} before {@code upToEvent}, or else before the first
     * event sent at or after {@code upToTs}; returns the purge's id.
     *
     * @throws MatrixException 404 for an unknown room or event, 400 for an event of another room or
     *     when neither point is given
     */
    public String start(RoomId room, Optional<EventId> upToEvent, OptionalLong upToTs, boolean deleteLocal) {
        roomState.requireRoom(room);
        Optional<RoomPosition> latest = latest(room);
        if (latest.isEmpty()) {
            throw MatrixException.notFound("The room has no events");
        }
        RoomPosition point;
        if (upToEvent.isPresent()) {
            StoredEvent event = events.get(upToEvent.get())
                    .orElseThrow(() -> MatrixException.notFound("Unknown event " + upToEvent.get()));
            if (!event.pdu().roomId().equals(room)) {
                throw MatrixException.invalidParam("purge_up_to_event_id", "the event is not in this room");
            }
            point = event.position();
        } else if (upToTs.isPresent()) {
            point = events.eventNearTimestamp(room, upToTs.getAsLong(), Direction.FORWARDS)
                    .map(StoredEvent::position)
                    .orElse(latest.get());
        } else {
            throw MatrixException.missingParam("purge_up_to_event_id");
        }
        // the room's latest event always stays
        RoomPosition upTo = point.compareTo(latest.get()) < 0 ? point : latest.get();
        String id = UUID.randomUUID().toString().replace("-", "");
        statuses.put(id, new Status("active", null));
        Thread.ofVirtual().name("purge-history-" + id).start(() -> {
            try {
                long deleted = purger.purgeHistory(room, upTo, deleteLocal, serverName);
                LOG.info("purged {} events of the history of {}", deleted, room);
                statuses.put(id, new Status("complete", null));
            } catch (RuntimeException e) {
                LOG.warn("purging the history of {} failed", room, e);
                statuses.put(id, new Status("failed", String.valueOf(e.getMessage())));
            }
        });
        return id;
    }

    /** A purge's status. */
    public Optional<Status> status(String purgeId) {
        return Optional.ofNullable(statuses.get(purgeId));
    }

    private Optional<RoomPosition> latest(RoomId room) {
        EventPage page = events.roomEventsBetween(room, RoomPosition.END, RoomPosition.START, 1, Direction.BACKWARDS);
        return page.events().stream().findFirst().map(StoredEvent::position);
    }
}
