package dev.myelin.core.cache;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which entities (rooms, users) changed on a stream after a given position, remembered for the most
 * recent changes only. It answers "has this room had an event since position X?" without a query,
 * so a {@code /sync} that has nothing new for most of a user's rooms reads none of them.
 *
 * <p>The cache knows every change after its {@linkplain #earliestKnown() earliest known position}; for
 * a position before that it cannot tell and answers "changed", which only costs the caller a read.
 * It starts out knowing nothing before the stream's position at start-up, and when it holds more than
 * its capacity it forgets its oldest changes and moves the earliest known position up past them.
 *
 * <p>A writer records a change <em>before</em> the position becomes visible to readers (before its
 * transaction commits is fine: a change that then rolls back only reads as a spurious "changed").
 * Recording it afterwards would let a reader that already sees the position miss the change.
 *
 * @param <K> the entity type
 */
public final class StreamChangeCache<K> {
    private final String name;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<K, Long> lastChange = new ConcurrentHashMap<>();
    private final TreeMap<Long, Set<K>> byPosition = new TreeMap<>();
    private volatile long earliestKnown;

    /**
     * A cache that knows of no change after {@code startPosition} and remembers at most {@code capacity}
     * entities.
     */
    public StreamChangeCache(String name, long startPosition, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.name = name;
        this.capacity = capacity;
        this.earliestKnown = startPosition;
    }

    public String name() {
        return name;
    }

    /** Positions after this one are all known; a question about an earlier one answers "changed". */
    public long earliestKnown() {
        return earliestKnown;
    }

    /** Records that {@code entity} changed at {@code position}. */
    public void entityChanged(K entity, long position) {
        lock.lock();
        try {
            if (position <= earliestKnown) {
                return; // already answered "changed" for every position before it
            }
            Long previous = lastChange.get(entity);
            if (previous != null && previous >= position) {
                return;
            }
            if (previous != null) {
                Set<K> at = byPosition.get(previous);
                if (at != null) {
                    at.remove(entity);
                    if (at.isEmpty()) {
                        byPosition.remove(previous);
                    }
                }
            }
            lastChange.put(entity, position);
            byPosition.computeIfAbsent(position, p -> new HashSet<>()).add(entity);
            while (lastChange.size() > capacity) {
                Map.Entry<Long, Set<K>> oldest = byPosition.pollFirstEntry();
                // the earliest known position moves up before the entities go: a reader that misses
                // an entity then sees the new earliest position and answers "changed"
                earliestKnown = Math.max(earliestKnown, oldest.getKey());
                for (K gone : oldest.getValue()) {
                    lastChange.remove(gone);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code entity} may have changed after {@code position} (true when the cache cannot tell). */
    public boolean hasChangedSince(K entity, long position) {
        // the entity before the earliest position: forgetting moves that position up before it drops
        // entities, so a reader that finds an entity gone also finds the position moved
        Long last = lastChange.get(entity);
        if (position < earliestKnown) {
            return true;
        }
        return last != null && last > position;
    }

    /**
     * Forgets what is known up to {@code position}: every question about an earlier position answers
     * "changed" from now on. For a reader that may have missed changes up to there (another process's
     * replicated changes lost while the connection between them was down).
     */
    public void forgetUpTo(long position) {
        lock.lock();
        try {
            if (position <= earliestKnown) {
                return;
            }
            earliestKnown = position;
            var gone = byPosition.headMap(position, true);
            for (Set<K> entities : gone.values()) {
                for (K entity : entities) {
                    lastChange.remove(entity);
                }
            }
            gone.clear();
        } finally {
            lock.unlock();
        }
    }

    /** The entities changed after {@code position}, or empty when the cache does not reach back that far. */
    public Optional<Set<K>> changedSince(long position) {
        lock.lock();
        try {
            if (position < earliestKnown) {
                return Optional.empty();
            }
            Set<K> out = new HashSet<>();
            byPosition.tailMap(position, false).values().forEach(out::addAll);
            return Optional.of(out);
        } finally {
            lock.unlock();
        }
    }

    /** The last recorded change of {@code entity}, if the cache still knows it. */
    public Optional<Long> lastChange(K entity) {
        return Optional.ofNullable(lastChange.get(entity));
    }
}
