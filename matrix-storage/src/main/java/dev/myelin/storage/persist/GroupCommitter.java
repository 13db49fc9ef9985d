package dev.myelin.storage.persist;

import dev.myelin.core.event.Pdu;
import dev.myelin.storage.Database;
import dev.myelin.storage.StorageException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: events handed in concurrently by many callers are persisted by one drainer thread, several
 * per transaction, and each caller returns once its event is committed. A transaction's fixed cost (taking
 * the writer connection, BEGIN, COMMIT, the stream high-water mark) is then shared by everything that
 * arrived while the previous one ran. If a group fails, its events are retried one transaction each, so
 * every event is still all-or-nothing and only the failing one reports an error, to its own caller.
 */
final class GroupCommitter {
    /** Events per transaction at most: keeps transactions short so readers and latency do not suffer. */
    static final int MAX_GROUP = 200;

    private record Pending(Pdu event, EventContext context, CompletableFuture<PersistedEvent> result) {}

    private final Database db;
    private final EventPersister persister;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean draining;

    GroupCommitter(Database db, EventPersister persister) {
        this.db = db;
        this.persister = persister;
    }

    PersistedEvent persist(Pdu event, EventContext context) {
        Pending pending = new Pending(event, context, new CompletableFuture<>());
        boolean lead;
        lock.lock();
        try {
            queue.add(pending);
            lead = !draining;
            draining = true;
        } finally {
            lock.unlock();
        }
        if (lead) {
            // no writer is busy: this caller commits itself (no thread hand-off for a lone caller), then
            // passes whatever queued up meanwhile to a writer thread of its own and returns
            if (drainOnce()) {
                Thread.ofVirtual().name("event-persister").start(this::drain);
            }
        }
        try {
            return pending.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while persisting " + event.eventId(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new StorageException("persisting " + event.eventId() + " failed", e.getCause());
        }
    }

    private void drain() {
        while (drainOnce()) {
            // keep going while callers keep queueing
        }
    }

    /** Commits one group; returns true if more is queued, which this drainer then still owns. */
    private boolean drainOnce() {
        List<Pending> group = new ArrayList<>();
        lock.lock();
        try {
            while (!queue.isEmpty() && group.size() < MAX_GROUP) {
                group.add(queue.poll());
            }
        } finally {
            lock.unlock();
        }
        if (!group.isEmpty()) {
            commit(group);
        }
        lock.lock();
        try {
            if (queue.isEmpty()) {
                draining = false;
                return false;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void commit(List<Pending> group) {
        List<PersistedEvent> results;
        try {
            results = db.write(tx -> {
                List<PersistedEvent> out = new ArrayList<>(group.size());
                for (Pending p : group) {
                    out.add(persister.persist(tx, p.event(), p.context()));
                }
                return out;
            });
        } catch (Throwable groupFailure) {
            for (Pending p : group) {
                try {
                    p.result().complete(db.write(tx -> persister.persist(tx, p.event(), p.context())));
                } catch (Throwable single) {
                    p.result().completeExceptionally(single);
                }
            }
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            group.get(i).result().complete(results.get(i));
        }
    }
}
