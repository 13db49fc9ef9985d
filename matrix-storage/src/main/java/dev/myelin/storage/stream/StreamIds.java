package dev.myelin.storage.stream;

import static dev.myelin.storage.schema.Tables.STREAM_POSITIONS;

import dev.myelin.core.cache.StreamChangeCache;
import dev.myelin.storage.Database;
import dev.myelin.storage.StorageException;
import dev.myelin.storage.Transaction;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
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

    private final Map<Stream, StreamTracker> trackers = new EnumMap<>(Stream.class);
    private final List<Consumer<Stream>> advanceListeners = new CopyOnWriteArrayList<>();
    private volatile boolean replicated;

    /** A change a write made: {@code entity} of {@code kind} changed at {@code position}. */
    public record ChangeRow(long position, ChangedEntities kind, String entity) {}

    /** Hears this process's positions, to tell the other processes that write the same streams. */
    public interface Announcer {
        /** Everything this process wrote on {@code stream} up to {@code token} is committed; {@code rows} are its changes since its last announcement. */
        void announce(Stream stream, long token, List<ChangeRow> rows);
    }

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
            trackers.put(stream, new StreamTracker(stored.getOrDefault(stream.storedName(), 0L)));
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
        trackers.get(kind.stream()).recordLocal(new ChangeRow(position, kind, entity));
    }

    /**
     * Makes this process one of several that write every stream (workers sharing a PostgreSQL
     * database): from now on {@link #currentPosition} is the position below which every writer's
     * writes are committed, which needs each writer's announcements ({@link #remotePosition}); this
     * process's own go to {@code announcer}, one stream's in order. Called once, before this process
     * writes anything.
     */
    public void replicate(Announcer announcer) {
        if (db.isSqlite()) {
            throw new StorageException("several processes cannot share a SQLite database");
        }
        replicated = true;
        for (var entry : trackers.entrySet()) {
            Stream stream = entry.getKey();
            entry.getValue().replicate(new StreamTracker.Announcer() {
                @Override
                public void announce(long token, List<ChangeRow> rows) {
                    announcer.announce(stream, token, rows);
                }

                @Override
                public void exposing(List<ChangeRow> rows) {
                    for (ChangeRow row : rows) {
                        changes.get(row.kind()).entityChanged(row.entity(), row.position());
                    }
                }
            });
        }
    }

    /**
     * Another process that writes {@code stream} announced {@code token}, with the changes it made
     * since its previous announcement; readers here see them once every writer has reached them.
     */
    public void remotePosition(Stream stream, String instance, long token, List<ChangeRow> rows) {
        for (ChangeRow row : rows) {
            if (row.kind().stream() != stream) {
                throw new IllegalArgumentException(row.kind() + " is not a change of stream " + stream);
            }
        }
        if (trackers.get(stream).remote(instance, token, rows)) {
            advanced(stream);
        }
    }

    /** The other writers that are behind the highest position known here on some stream. */
    public java.util.Set<String> laggingWriters() {
        java.util.Set<String> out = new java.util.HashSet<>();
        trackers.values().forEach(t -> out.addAll(t.lagging()));
        return out;
    }

    /**
     * Another writer died without a word ({@link InstanceLocks#isAlive} says so): nothing of it is in
     * flight any more, and what it committed is at or below each stream's stored position. Readers
     * stop waiting for it, and the change caches answer "changed" up to there, since it may have
     * committed changes it never announced.
     */
    public void writerDied(String instance) {
        Map<String, Long> stored = db.read(tx -> tx.dsl()
                .select(STREAM_POSITIONS.STREAM_NAME, STREAM_POSITIONS.POSITION)
                .from(STREAM_POSITIONS)
                .fetchMap(STREAM_POSITIONS.STREAM_NAME, STREAM_POSITIONS.POSITION));
        for (var entry : trackers.entrySet()) {
            Stream stream = entry.getKey();
            long storedMax = stored.getOrDefault(stream.storedName(), 0L);
            forgetChanges(stream, storedMax);
            if (entry.getValue().writerDied(instance, storedMax)) {
                advanced(stream);
            }
        }
    }

    /** Another writer stopped: readers no longer wait for it. */
    public void writerLeft(String instance) {
        for (var entry : trackers.entrySet()) {
            if (entry.getValue().forget(instance)) {
                advanced(entry.getKey());
            }
        }
    }

    /**
     * Changes up to each stream's highest known position may have been missed (another process's
     * announcements were lost): every change cache answers "changed" for them from now on.
     */
    public void forgetChanges() {
        for (ChangedEntities kind : ChangedEntities.values()) {
            changes.get(kind).forgetUpTo(trackers.get(kind.stream()).highestKnown());
        }
    }

    /**
     * As {@link #forgetChanges()}, for {@code stream}'s change caches only, up to {@code upTo} or the
     * highest position known here, whichever is higher.
     */
    public void forgetChanges(Stream stream, long upTo) {
        long position = Math.max(upTo, trackers.get(stream).highestKnown());
        for (ChangedEntities kind : ChangedEntities.values()) {
            if (kind.stream() == stream) {
                changes.get(kind).forgetUpTo(position);
            }
        }
    }

    /** Whether several processes write the streams ({@link #replicate}). */
    public boolean replicated() {
        return replicated;
    }

    /** This process's own position on {@code stream}: what it announced last. */
    public long announcedPosition(Stream stream) {
        return trackers.get(stream).announced();
    }

    /**
     * The highest position of {@code stream} this process wrote or heard of: a reader elsewhere that
     * has reached it has seen everything this process wrote before.
     */
    public long highestKnown(Stream stream) {
        return trackers.get(stream).highestKnown();
    }

    /** Called with a stream whenever its {@link #currentPosition} moved through another process's writes or this one's. */
    public void onAdvance(Consumer<Stream> listener) {
        advanceListeners.add(listener);
    }

    private void advanced(Stream stream) {
        for (Consumer<Stream> listener : advanceListeners) {
            listener.accept(stream);
        }
        if (!waiters.isEmpty()) {
            long current = currentPosition(stream);
            List<Waiter> due = waiters.stream()
                    .filter(w -> w.stream() == stream && w.position() <= current)
                    .toList();
            // completed outside the list's iteration: completing runs the waiter's own removal
            waiters.removeAll(due);
            due.forEach(w -> w.reached().complete(null));
        }
    }

    private record Waiter(Stream stream, long position, CompletableFuture<Void> reached) {}

    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

    /**
     * Completes once {@link #currentPosition} of {@code stream} reaches {@code position}: a process
     * that had another one write for it waits so, and then reads its own writes.
     */
    public CompletableFuture<Void> reached(Stream stream, long position) {
        if (currentPosition(stream) >= position) {
            return CompletableFuture.completedFuture(null);
        }
        Waiter waiter = new Waiter(stream, position, new CompletableFuture<>());
        waiters.add(waiter);
        // it may have moved meanwhile
        if (currentPosition(stream) >= position && waiter.reached().complete(null)) {
            waiters.remove(waiter);
        }
        waiter.reached().whenComplete((ok, failed) -> waiters.remove(waiter));
        return waiter.reached();
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
        StreamTracker tracker = trackers.get(stream);
        long id = db.isSqlite() ? tracker.allocateLocal() : allocateFromSequence(tx, stream, tracker);
        // only once the caches over what the transaction wrote have heard of it (see Transaction)
        boolean local = db.isSqlite();
        tx.publishAfterCommit(() -> {
            if (tracker.finish(id, true, local)) {
                advanced(stream);
            }
        });
        tx.afterRollback(() -> {
            if (tracker.finish(id, false, local)) {
                advanced(stream);
            }
        });
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

    private long allocateFromSequence(Transaction tx, Stream stream, StreamTracker tracker) {
        // counted as pending before the number exists: another transaction's later number must not
        // become visible while this one's is on its way back from the database
        long floor = tracker.beginAllocation();
        long id;
        try {
            id = tx.dsl().select(stream.sequence().nextval()).fetchSingle().value1();
        } catch (RuntimeException e) {
            if (tracker.abandonAllocation(floor)) {
                advanced(stream);
            }
            throw e;
        }
        return tracker.register(id, floor);
    }

    /** The highest position of {@code stream} such that it and every position below it are committed. */
    public long currentPosition(Stream stream) {
        return trackers.get(stream).current();
    }

    /** Positions allocated but not yet committed or rolled back (for tests and metrics). */
    public int inFlight(Stream stream) {
        return trackers.get(stream).inFlightCount();
    }
}
