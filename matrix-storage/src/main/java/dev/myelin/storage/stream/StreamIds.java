package dev.myelin.storage.stream;

import static dev.myelin.storage.schema.Tables.STREAM_POSITIONS;

import dev.myelin.core.cache.StreamChangeCache;
import dev.myelin.storage.Database;
import dev.myelin.storage.StorageException;
import dev.myelin.storage.Transaction;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.jooq.impl.DSL;

/**
 * Allocates stream positions and tracks, per stream, the highest position below which every write is
 * committed ({@link #currentPosition}). Readers only ever read up to that position, so they never see a
 * later write before an earlier one that is still in flight, and never skip one.
 *
 * <p>A position is allocated inside the write transaction that uses it ({@link #allocate}); it is in flight
 * until that transaction commits or rolls back. On PostgreSQL positions come from sequences, so several
 * writer processes can allocate; a rolled-back transaction leaves an unused number, which readers simply
 * step over. On SQLite there is one writer connection, so positions are counted in memory and a rolled-back
 * position is handed out again: the stream has no gaps at all. The highest allocated position is also
 * recorded in {@code stream_positions} in the same transaction, so it survives restarts even when the rows
 * of the stream are deleted later (to-device messages are).
 */
public final class StreamIds {
    private final Database db;
    /** How many entities each change cache remembers; older changes read as "changed" (a query). */
    static final int CHANGE_CACHE_CAPACITY = 50_000;

    private final Map<Stream, Tracker> trackers = new EnumMap<>(Stream.class);
    private final Map<ChangedEntities, StreamChangeCache<String>> changes = new EnumMap<>(ChangedEntities.class);

    /**
     * Reads each stream's position from {@code db}.
     *
     * @param db the database
     */
    public StreamIds(Database db) {
        this.db = db;
        Map<String, Long> stored = db.read(tx -> tx.dsl()
                .select(STREAM_POSITIONS.STREAM_NAME, STREAM_POSITIONS.POSITION)
                .from(STREAM_POSITIONS)
                .fetchMap(STREAM_POSITIONS.STREAM_NAME, STREAM_POSITIONS.POSITION));
        for (Stream stream : Stream.values()) {
            trackers.put(stream, new Tracker(stored.getOrDefault(stream.storedName(), 0L)));
        }
        // made before any write of this process, so no change can slip past them unrecorded
        for (ChangedEntities kind : ChangedEntities.values()) {
            long start = stored.getOrDefault(kind.stream().storedName(), 0L);
            changes.put(kind, new StreamChangeCache<>(kind.name(), start, CHANGE_CACHE_CAPACITY));
        }
    }

    /**
     * Which entities changed on a stream after a position. Writers record a change with the position they
     * allocated, before their transaction commits ({@link #recordChange}); readers ask it before querying.
     */
    public StreamChangeCache<String> changes(ChangedEntities kind) {
        return changes.get(kind);
    }

    /**
     * Records that {@code entity} changed at {@code position} of {@code kind}'s stream. Called inside the
     * writing transaction, before the position can become visible: a rolled-back change only costs a
     * reader a query it did not need.
     */
    public void recordChange(ChangedEntities kind, String entity, long position) {
        changes.get(kind).entityChanged(entity, position);
    }

    /**
     * Allocates the next position of {@code stream} inside the write transaction {@code tx}. The position
     * becomes visible to {@link #currentPosition} only once {@code tx} has committed (and every position
     * allocated before it has committed or rolled back).
     */
    public long allocate(Transaction tx, Stream stream) {
        if (!tx.writable()) {
            throw new StorageException("stream positions are allocated in write transactions only");
        }
        Tracker tracker = trackers.get(stream);
        long id = db.isSqlite()
                ? tracker.allocateLocal()
                : tracker.register(tx.dsl()
                        .select(stream.sequence().nextval())
                        .fetchSingle()
                        .value1());
        // only once the caches over what the transaction wrote have heard of it (see Transaction)
        boolean local = db.isSqlite();
        tx.publishAfterCommit(() -> tracker.finish(id, true, local));
        tx.afterRollback(() -> tracker.finish(id, false, local));
        // positions only grow within a transaction, so the last registration carries the high-water mark
        tx.beforeCommit(
                stream,
                t -> t.dsl()
                        .insertInto(STREAM_POSITIONS, STREAM_POSITIONS.STREAM_NAME, STREAM_POSITIONS.POSITION)
                        .values(stream.storedName(), id)
                        .onConflict(STREAM_POSITIONS.STREAM_NAME)
                        .doUpdate()
                        .set(
                                STREAM_POSITIONS.POSITION,
                                DSL.greatest(STREAM_POSITIONS.POSITION, DSL.excluded(STREAM_POSITIONS.POSITION)))
                        .execute());
        return id;
    }

    /** The highest position of {@code stream} such that it and every position below it are committed. */
    public long currentPosition(Stream stream) {
        return trackers.get(stream).current();
    }

    /** Positions allocated but not yet committed or rolled back (for tests and metrics). */
    public int inFlight(Stream stream) {
        return trackers.get(stream).inFlightCount();
    }

    private static final class Tracker {
        private final ReentrantLock lock = new ReentrantLock();
        private final TreeSet<Long> inFlight = new TreeSet<>();
        private long maxFinished;
        private long lastAllocated;

        Tracker(long persisted) {
            this.maxFinished = persisted;
            this.lastAllocated = persisted;
        }

        long allocateLocal() {
            lock.lock();
            try {
                long id = ++lastAllocated;
                inFlight.add(id);
                return id;
            } finally {
                lock.unlock();
            }
        }

        long register(long id) {
            lock.lock();
            try {
                lastAllocated = Math.max(lastAllocated, id);
                inFlight.add(id);
                return id;
            } finally {
                lock.unlock();
            }
        }

        void finish(long id, boolean committed, boolean local) {
            lock.lock();
            try {
                inFlight.remove(id);
                if (committed) {
                    maxFinished = Math.max(maxFinished, id);
                } else if (local) {
                    // single writer: the number is handed out again, so readers must not step past it.
                    // (Stepping past it let a transaction of several positions that rolled back publish
                    // them as done; the events that then got those numbers came after readers had
                    // moved on, and were never seen.)
                    if (lastAllocated == id) {
                        lastAllocated = id - 1;
                    }
                } else {
                    if (lastAllocated == id) {
                        lastAllocated = id - 1;
                    }
                    if (id > maxFinished) {
                        // sequences: the number is burnt; readers may step past it once nothing before is pending
                        maxFinished = Math.max(maxFinished, Math.min(id, lastAllocated));
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        long current() {
            lock.lock();
            try {
                long upTo = inFlight.isEmpty() ? Long.MAX_VALUE : inFlight.first() - 1;
                return Math.min(maxFinished, upTo);
            } finally {
                lock.unlock();
            }
        }

        int inFlightCount() {
            lock.lock();
            try {
                return inFlight.size();
            } finally {
                lock.unlock();
            }
        }
    }
}
