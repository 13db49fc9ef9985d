package dev.myelin.storage.event;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.myelin.core.cache.StreamChangeCache;
import dev.myelin.core.id.RoomId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The latest stretch of each busy room's timeline as last read: the room's timeline events with a
 * stream ordering after {@code from} up to {@code upTo}, all of them. When a message wakes a hundred
 * {@code /sync}s waiting on its room, the first reads the new event from the database and the others
 * find it here.
 *
 * <p>A stretch is only ever kept whole (a read that hit its limit is not kept), is extended without a
 * read when the room's change cache says nothing happened after it, and hands out each event through
 * the {@link EventCache}, so an event redacted since is read again instead of served stale.
 */
final class RecentRoomEvents {
    /** The most events one stretch holds. */
    static final int MAX_EVENTS = 50;

    private record Stretch(long from, long upTo, List<StoredEvent> events) {}

    private final Cache<RoomId, Stretch> stretches =
            Caffeine.newBuilder().maximumSize(10_000).executor(Runnable::run).build();
    private final EventCache events;
    private final StreamChangeCache<String> roomChanges;

    RecentRoomEvents(EventCache events, StreamChangeCache<String> roomChanges) {
        this.events = events;
        this.roomChanges = roomChanges;
    }

    /**
     * The last {@code limit} events of {@code room} after {@code from} up to {@code upTo} (committed),
     * oldest first, if a kept stretch covers that range; empty when it must be read.
     */
    Optional<List<StoredEvent>> find(RoomId room, long from, long upTo, int limit) {
        Stretch stretch = stretches.getIfPresent(room);
        if (stretch == null || from < stretch.from()) {
            return Optional.empty();
        }
        if (upTo > stretch.upTo()) {
            if (roomChanges.hasChangedSince(room.value(), stretch.upTo())) {
                return Optional.empty();
            }
            stretch = new Stretch(stretch.from(), upTo, stretch.events());
            stretches.asMap().replace(room, stretches.getIfPresent(room), stretch);
        }
        List<StoredEvent> out = new ArrayList<>();
        for (StoredEvent e : stretch.events()) {
            if (e.streamOrdering() > from && e.streamOrdering() <= upTo) {
                StoredEvent current = events.getIfPresent(e.eventId());
                if (current == null) {
                    return Optional.empty(); // changed since (a redaction): read it again
                }
                out.add(current);
            }
        }
        return Optional.of(out.size() > limit ? out.subList(out.size() - limit, out.size()) : out);
    }

    /**
     * Keeps what a read of {@code room} after {@code from} up to {@code upTo} found, if it is the
     * whole range ({@code limit} not reached) and reaches further than what is kept.
     */
    void offer(RoomId room, long from, long upTo, int limit, List<StoredEvent> found) {
        if (found.size() >= limit || found.size() > MAX_EVENTS || from < 0) {
            return;
        }
        Stretch offered = new Stretch(from, upTo, List.copyOf(found));
        stretches
                .asMap()
                .merge(
                        room,
                        offered,
                        (kept, fresh) -> fresh.upTo() > kept.upTo()
                                        || (fresh.upTo() == kept.upTo() && fresh.from() < kept.from())
                                ? fresh
                                : kept);
    }
}
