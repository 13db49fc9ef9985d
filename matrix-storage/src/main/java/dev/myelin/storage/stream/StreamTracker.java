package dev.myelin.storage.stream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One stream's positions as this process sees them: which of its own allocations are still in flight,
 * and, when several processes write the stream ({@link StreamIds#replicate}), every other writer's
 * announced position and the changes it announced that readers here may not see yet.
 *
 * <p>The position readers get ({@link #current}) is the highest such that every position at or below it,
 * whoever allocated it, is committed or rolled back: the minimum of what each writer has announced and
 * of this process's own. A writer announces "nothing of mine at or below P is pending": after a commit
 * P is just below its oldest allocation still in flight, or, with none in flight, the highest position
 * it knows anyone used. An idle writer that hears of a higher position moves up to it and says so
 * ({@link #remote}), so one busy writer never waits on idle ones for longer than a round trip. The
 * position a writer announces is safe because sequences only grow: whatever it allocates next is above
 * every position it has heard of.
 */
final class StreamTracker {
    /** Announces this process's position (and the changes up to it) to the other processes. */
    interface Announcer {
        void announce(long token, List<StreamIds.ChangeRow> rows);

        /** Other writers' changes that readers here are about to see: recorded before the position moves. */
        void exposing(List<StreamIds.ChangeRow> rows);
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final TreeSet<Long> inFlight = new TreeSet<>();
    private final Map<String, Long> writers = new HashMap<>();
    private final TreeMap<Long, List<StreamIds.ChangeRow>> unannounced = new TreeMap<>();
    private final TreeMap<Long, List<StreamIds.ChangeRow>> unexposed = new TreeMap<>();
    private long maxFinished;
    private long lastAllocated;
    /** The highest position this process knows was used by anyone. */
    private long knownMax;
    /**
     * Allocations asked of the database whose number is not known yet, by the highest position known
     * when each began: the number it gets is above that.
     */
    private final TreeMap<Long, Integer> pending = new TreeMap<>();

    private long announced;
    private long exposed;
    /** Set once, before this process writes; read without the lock on the write path. */
    private volatile Announcer announcer;

    StreamTracker(long persisted) {
        this.maxFinished = persisted;
        this.lastAllocated = persisted;
        this.knownMax = persisted;
        this.announced = persisted;
        this.exposed = persisted;
    }

    /** From now on this process is one of several writers and announces its positions through {@code to}. */
    void replicate(Announcer to) {
        lock.lock();
        try {
            this.announcer = to;
            to.announce(announced, List.of());
        } finally {
            lock.unlock();
        }
    }

    long allocateLocal() {
        lock.lock();
        try {
            long id = ++lastAllocated;
            inFlight.add(id);
            knownMax = Math.max(knownMax, id);
            return id;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Before asking the sequence: until {@link #register}, this process counts as having a write just
     * above what it knows now. Returns that floor, which {@link #register} and {@link #abandonAllocation} take.
     */
    long beginAllocation() {
        lock.lock();
        try {
            long floor = knownMax;
            pending.merge(floor, 1, Integer::sum);
            return floor;
        } finally {
            lock.unlock();
        }
    }

    private void endAllocation(long floor) {
        pending.computeIfPresent(floor, (f, n) -> n == 1 ? null : n - 1);
    }

    long register(long id, long floor) {
        lock.lock();
        try {
            endAllocation(floor);
            lastAllocated = Math.max(lastAllocated, id);
            knownMax = Math.max(knownMax, id);
            inFlight.add(id);
            return id;
        } finally {
            lock.unlock();
        }
    }

    /** The sequence could not be asked. */
    boolean abandonAllocation(long floor) {
        lock.lock();
        try {
            endAllocation(floor);
            return announceIfMoved();
        } finally {
            lock.unlock();
        }
    }

    /** A change made at {@code row.position()} by a transaction of this process, announced once that position is. */
    void recordLocal(StreamIds.ChangeRow row) {
        if (announcer == null) {
            return; // one process: nobody to announce changes to
        }
        lock.lock();
        try {
            if (announcer != null) {
                unannounced
                        .computeIfAbsent(row.position(), p -> new ArrayList<>())
                        .add(row);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Returns whether the position readers get moved. */
    boolean finish(long id, boolean committed, boolean local) {
        lock.lock();
        try {
            inFlight.remove(id);
            if (committed) {
                maxFinished = Math.max(maxFinished, id);
            } else {
                unannounced.remove(id);
                if (local) {
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
            }
            return announceIfMoved();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Another writer announced {@code token} with the changes it made since its last announcement.
     * Returns whether the position readers get moved.
     */
    boolean remote(String instance, long token, List<StreamIds.ChangeRow> rows) {
        lock.lock();
        try {
            writers.merge(instance, token, Math::max);
            knownMax = Math.max(knownMax, token);
            List<StreamIds.ChangeRow> late = new ArrayList<>();
            for (StreamIds.ChangeRow row : rows) {
                if (row.position() > exposed) {
                    unexposed
                            .computeIfAbsent(row.position(), p -> new ArrayList<>())
                            .add(row);
                } else {
                    late.add(row); // a writer that came back: its changes are news all the same
                }
            }
            if (!late.isEmpty() && announcer != null) {
                announcer.exposing(late);
            }
            return announceIfMoved();
        } finally {
            lock.unlock();
        }
    }

    /** A writer stopped (it said so on its way out): it no longer holds readers back. */
    boolean forget(String instance) {
        lock.lock();
        try {
            writers.remove(instance);
            return announceIfMoved();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A writer died (its database session ended, so nothing of it is in flight): whatever it committed
     * is at or below {@code storedMax}, which readers may now reach without it.
     */
    boolean writerDied(String instance, long storedMax) {
        lock.lock();
        try {
            knownMax = Math.max(knownMax, storedMax);
            writers.remove(instance);
            return announceIfMoved();
        } finally {
            lock.unlock();
        }
    }

    /** The other writers whose announced position is below the highest one known here. */
    java.util.Set<String> lagging() {
        lock.lock();
        try {
            java.util.Set<String> out = new java.util.HashSet<>();
            writers.forEach((name, position) -> {
                if (position < knownMax) {
                    out.add(name);
                }
            });
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** This process's own position, what it announced last (for a writer that asks again). */
    long announced() {
        lock.lock();
        try {
            return announced;
        } finally {
            lock.unlock();
        }
    }

    /** The highest position this process has committed or heard of: a reader that reaches it has seen this process's writes. */
    long highestKnown() {
        lock.lock();
        try {
            return Math.max(Math.max(maxFinished, announced), knownMax);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Recomputes this process's own position (announcing it when it moved) and the exposed one, whose
     * move it returns. Called with the lock held.
     */
    private boolean announceIfMoved() {
        long own = ownPosition();
        if (announcer != null && own > announced) {
            List<StreamIds.ChangeRow> rows = new ArrayList<>();
            var upTo = unannounced.headMap(own, true);
            upTo.values().forEach(rows::addAll);
            upTo.clear();
            announced = own;
            // under the lock, so the announcements of one stream leave in order
            announcer.announce(own, rows);
        }
        long next = own;
        for (long position : writers.values()) {
            next = Math.min(next, position);
        }
        if (next <= exposed) {
            return false;
        }
        if (!unexposed.isEmpty()) {
            List<StreamIds.ChangeRow> passed = new ArrayList<>();
            var upTo = unexposed.headMap(next, true);
            upTo.values().forEach(passed::addAll);
            upTo.clear();
            if (!passed.isEmpty()) {
                announcer.exposing(passed); // before readers can ask for the position
            }
        }
        exposed = next;
        return true;
    }

    /** Every position at or below it that this process allocated is finished, and it allocates only above it. */
    private long ownPosition() {
        long upTo = inFlight.isEmpty() ? Long.MAX_VALUE : inFlight.first() - 1;
        if (!pending.isEmpty()) {
            upTo = Math.min(upTo, pending.firstKey());
        }
        if (announcer == null) {
            return Math.min(maxFinished, upTo);
        }
        // a writer among several: with nothing pending it vouches for everything it has heard of
        return Math.min(Math.max(maxFinished, knownMax), upTo);
    }

    long current() {
        lock.lock();
        try {
            if (announcer == null) {
                return ownPosition();
            }
            return exposed;
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
