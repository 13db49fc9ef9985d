package dev.myelin.server.handler.room;

import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import java.util.List;
import java.util.Optional;

/**
 * Which process of this homeserver creates a room's events. One process does everything unless the
 * homeserver runs as several ({@code stream_writers.events}): then each room has one event writer,
 * and the others ask it ({@link EventCreator} does), so a room's events are made one after another
 * on one state and its timeline does not fork.
 */
public interface EventWriters {
    /** Every room's events are created in this process. */
    EventWriters HERE = new EventWriters() {
        @Override
        public Optional<String> writerElsewhere(RoomId room) {
            return Optional.empty();
        }

        @Override
        public List<EventId> createThere(String instance, RoomId room, List<EventRequest> requests) {
            throw new IllegalStateException("no other process writes events");
        }
    };

    /** The process that writes {@code room}'s events, when it is not this one. */
    Optional<String> writerElsewhere(RoomId room);

    /**
     * Has {@code instance} create {@code requests} (all in {@code room}) in order; their ids. Throws the
     * Matrix error that creating them gave there.
     */
    List<EventId> createThere(String instance, RoomId room, List<EventRequest> requests);
}
