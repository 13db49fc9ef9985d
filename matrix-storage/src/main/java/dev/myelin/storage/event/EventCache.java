package dev.myelin.storage.event;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.myelin.core.cache.CacheInvalidation;
import dev.myelin.core.id.EventId;
import dev.myelin.storage.schema.tables.records.EventsRecord;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Parsed events by id, bounded by the size of their JSON, so that the events every woken {@code /sync}
 * and every page of history shows are parsed once instead of once per reader.
 *
 * <p>A stored event changes only when it is redacted or an outlier takes its place in the timeline;
 * whoever changes it invalidates {@value #NAME} through the database's {@link CacheInvalidation}, both
 * when it writes and after its transaction commits. A reader that parsed a row while an invalidation
 * ran does not keep what it parsed: it stores its entry only if the invalidation count, moved under
 * the event's lock by each invalidation, is still what it was before the read.
 */
final class EventCache {
    /** The name the cache is invalidated under; keys are event ids. */
    static final String NAME = "events";

    /**
     * About this many bytes of heap at most. A parsed event (its Jackson tree, ids and strings) takes
     * about six times its JSON's length: a heap histogram after a send run showed 35,000 cached
     * events holding some 150 MiB when the weight counted characters only.
     */
    private static final long MAX_WEIGHT = 48L * 1024 * 1024;

    private static final int HEAP_PER_JSON_CHAR = 6;

    private record Entry(StoredEvent event, int jsonLength) {}

    private final Cache<EventId, Entry> events = Caffeine.newBuilder()
            .maximumWeight(MAX_WEIGHT)
            .<EventId, Entry>weigher((id, e) -> 256 + HEAP_PER_JSON_CHAR * e.jsonLength())
            .executor(Runnable::run)
            .recordStats()
            .build();
    private final AtomicLong invalidations = new AtomicLong();

    EventCache(CacheInvalidation invalidation) {
        invalidation.register(NAME, this::drop);
        invalidation.reportStats(NAME, () -> dev.myelin.core.cache.CacheReport.of(events));
    }

    private void drop(List<String> ids) {
        if (ids.isEmpty()) {
            invalidations.incrementAndGet();
            events.invalidateAll();
            return;
        }
        for (String id : ids) {
            // counted under the id's lock: a put of it either lands before this removes it, or sees the count move
            events.asMap().compute(new EventId(id), (k, old) -> {
                invalidations.incrementAndGet();
                return null;
            });
        }
    }

    /** The cached event, or null. */
    StoredEvent getIfPresent(EventId id) {
        Entry entry = events.getIfPresent(id);
        return entry == null ? null : entry.event();
    }

    /** The count to pass to {@link #put}, read before reading the rows to put. */
    long stamp() {
        return invalidations.get();
    }

    /** Caches {@code event} (of {@code jsonLength} characters), read from the database after {@code stamp} was taken. */
    private void put(StoredEvent event, int jsonLength, long stamp) {
        Entry entry = new Entry(event, jsonLength);
        events.asMap().compute(event.eventId(), (k, old) -> invalidations.get() == stamp ? entry : old);
    }

    /** The event of {@code row}: the cached one when the cache holds it, else parsed and cached. */
    StoredEvent fromRow(EventsRecord row, long stamp) {
        EventId id = new EventId(row.getEventId());
        Entry cached = events.getIfPresent(id);
        if (cached != null) {
            return cached.event();
        }
        StoredEvent parsed = EventStore.toStored(row);
        put(parsed, row.getJson().length(), stamp);
        return parsed;
    }
}
