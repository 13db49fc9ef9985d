package dev.myelin.server.handler.media;

import dev.myelin.core.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many bytes of remote media each requester (by IP address) has had fetched lately: a leaky
 * bucket per requester that holds {@code capacity} bytes and drains at {@code perSecond} bytes a
 * second, as Synapse's {@code remote_media_download_burst_count} and {@code
 * remote_media_download_per_second} describe. A fetch is refused while the requester's bucket is
 * full, and a fetched item that does not fit in what is left is refused too, not cached.
 */
final class DownloadBucket {
    private static final int PRUNE_ABOVE = 10_000;

    private final Clock clock;
    private final long capacity;
    private final double perSecond;
    private final Map<String, Level> levels = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();

    private record Level(double bytes, long atNanos) {}

    DownloadBucket(Clock clock, long capacity, long perSecond) {
        this.clock = clock;
        this.capacity = capacity;
        this.perSecond = perSecond;
    }

    /** Whether {@code key} may start another fetch: its bucket is not full. */
    boolean mayFetch(String key) {
        lock.lock();
        try {
            return level(key) < capacity;
        } finally {
            lock.unlock();
        }
    }

    /** Adds {@code bytes} to {@code key}'s bucket if they fit; false (and nothing added) if not. */
    boolean tryCharge(String key, long bytes) {
        lock.lock();
        try {
            double level = level(key);
            if (level + bytes > capacity) {
                return false;
            }
            levels.put(key, new Level(level + bytes, clock.monotonicNanos()));
            if (levels.size() > PRUNE_ABOVE) {
                prune();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private double level(String key) {
        Level level = levels.get(key);
        if (level == null) {
            return 0;
        }
        double drained = (clock.monotonicNanos() - level.atNanos()) / 1e9 * perSecond;
        return Math.max(0, level.bytes() - drained);
    }

    /** Forgets the requesters whose buckets have drained. */
    private void prune() {
        levels.keySet().removeIf(k -> level(k) == 0);
    }
}
