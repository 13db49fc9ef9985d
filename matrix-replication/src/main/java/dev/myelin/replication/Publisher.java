package dev.myelin.replication;

import dev.myelin.core.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * The outgoing queue and the publisher thread's work: number each command, keep it until Redis has
 * accepted it, and publish in order over a connection that is re-made whenever it fails.
 *
 * <p>Callers never wait for Redis: {@link #enqueue} only takes a lock. The thread writes up to
 * {@value #BATCH} queued messages per round trip (pipelined), and takes each off the queue only
 * once Redis has answered its PUBLISH; after a failure it reconnects and publishes the unanswered
 * ones again, so a message that Redis accepted but whose reply was lost goes out twice (readers
 * drop the second copy as a {@link SequenceTracker.Outcome#DUPLICATE}). That cannot be avoided
 * without Redis telling what it received, which pub/sub does not. The thread also PINGs the
 * subscription at the ping interval, since the subscriber thread is blocked reading it.
 */
final class Publisher implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisReplication.class);

    /** The most messages written before reading Redis's replies. */
    static final int BATCH = 256;

    enum State {
        QUEUED,
        PUBLISHED,
        DROPPED
    }

    /** One queued message; its state is guarded by the publisher's lock. */
    static final class Entry {
        final long sequence;
        final String json;
        State state = State.QUEUED;

        Entry(long sequence, String json) {
            this.sequence = sequence;
            this.json = json;
        }
    }

    private final RedisSettings settings;
    private final String instance;
    private final String incarnation;
    private final Clock clock;
    private final Timeouts timeouts;
    private final RedisConnector connector;
    private final Subscriber subscriber;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    private final Condition settled = lock.newCondition();
    private final ArrayDeque<Entry> queue = new ArrayDeque<>(); // guarded by lock
    private long lastSequence; // guarded by lock
    private long droppedSinceWarning; // guarded by lock
    private boolean closed; // guarded by lock
    private final Backoff backoff = new Backoff();
    private final ConnectionLog connectionLog;

    Publisher(
            RedisSettings settings,
            String instance,
            String incarnation,
            Clock clock,
            Timeouts timeouts,
            RedisConnector connector,
            Subscriber subscriber,
            int capacity) {
        this.settings = settings;
        this.instance = instance;
        this.incarnation = incarnation;
        this.clock = clock;
        this.timeouts = timeouts;
        this.connector = connector;
        this.subscriber = subscriber;
        this.capacity = capacity;
        this.connectionLog = new ConnectionLog("publisher of " + instance, settings.address());
    }

    /**
     * Numbers the command and queues it; drops the oldest queued message when the queue is full.
     * After close the command is numbered and discarded.
     */
    Entry enqueue(ReplicationCommand command) {
        lock.lock();
        try {
            long sequence = lastSequence + 1;
            // encoded before the number is taken, so a command that cannot be written leaves no gap
            Entry entry = new Entry(
                    sequence,
                    ReplicationCodec.encode(new ReplicationMessage(instance, incarnation, sequence, command)));
            lastSequence = sequence;
            if (closed) {
                entry.state = State.DROPPED;
                return entry;
            }
            if (queue.size() >= capacity) {
                Entry oldest = queue.pollFirst();
                if (oldest != null) {
                    oldest.state = State.DROPPED;
                    settled.signalAll();
                }
                if (droppedSinceWarning++ == 0) {
                    LOG.warn(
                            "Replication publisher: {} commands are waiting for Redis at {}; dropping the oldest",
                            capacity,
                            settings.address());
                }
            }
            queue.addLast(entry);
            queued.signal();
            return entry;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the entry is published (true), dropped, closed or the timeout passes (false). */
    boolean awaitPublished(Entry entry, Duration timeout) throws InterruptedException {
        long deadline = clock.monotonicNanos() + timeout.toNanos();
        lock.lock();
        try {
            while (entry.state == State.QUEUED && !closed) {
                long remaining = deadline - clock.monotonicNanos();
                if (remaining <= 0) {
                    return false;
                }
                settled.await(remaining, TimeUnit.NANOSECONDS);
            }
            return entry.state == State.PUBLISHED;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the thread; what is still queued is not published. */
    void close() {
        lock.lock();
        try {
            closed = true;
            queued.signalAll();
            settled.signalAll();
        } finally {
            lock.unlock();
        }
        connector.abort();
    }

    @Override
    public void run() {
        Jedis jedis = null;
        boolean proven = false;
        long nextPing = clock.monotonicNanos() + timeouts.pingInterval().toNanos();
        try {
            while (!isClosed()) {
                boolean pingDue = clock.monotonicNanos() - nextPing >= 0;
                if (pingDue) {
                    subscriber.ping();
                    nextPing = clock.monotonicNanos() + timeouts.pingInterval().toNanos();
                }
                try {
                    if (jedis == null) {
                        jedis = connector.connect();
                        jedis.ping();
                        // with commands waiting, only an accepted PUBLISH shows the link works (Redis
                        // may refuse PUBLISH to a connection it accepts): no recovery logged before
                        proven = isIdle();
                        if (proven) {
                            recovered();
                        }
                    } else if (pingDue) {
                        // an idle connection that died is replaced now, not when a command is waiting
                        jedis.ping();
                    }
                    List<Entry> batch = awaitBatch(nextPing);
                    if (!batch.isEmpty()) {
                        publish(jedis, batch);
                        if (!proven) {
                            proven = true;
                            recovered();
                        }
                    }
                } catch (RuntimeException e) {
                    // JedisException for a lost connection or an error reply; anything else alike
                    if (isClosed()) {
                        return;
                    }
                    connectionLog.failed(e);
                    closeQuietly(jedis);
                    jedis = null;
                    clock.sleep(backoff.next());
                }
            }
        } catch (InterruptedException e) {
            // only close() interrupts
        } finally {
            closeQuietly(jedis);
        }
    }

    private void publish(Jedis jedis, List<Entry> batch) {
        // written together and answered in order; the replies read before a failure say exactly which
        // messages Redis accepted, so only the ones whose reply was lost are published twice
        Connection connection = jedis.getConnection();
        for (Entry entry : batch) {
            connection.sendCommand(Protocol.Command.PUBLISH, settings.channel(), entry.json);
        }
        int accepted = 0;
        try {
            while (accepted < batch.size()) {
                connection.getIntegerReply(); // flushes first; an error reply (e.g. NOAUTH) throws
                accepted++;
            }
        } finally {
            settle(batch.subList(0, accepted));
        }
    }

    private void settle(List<Entry> published) {
        if (published.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            for (Entry entry : published) {
                // the head may have been dropped for space while it was on the wire; it went out anyway
                if (queue.peekFirst() == entry) {
                    queue.pollFirst();
                }
                entry.state = State.PUBLISHED;
            }
            if (queue.isEmpty() && droppedSinceWarning > 0) {
                LOG.warn(
                        "Replication publisher: dropped {} commands while Redis at {} was behind or away",
                        droppedSinceWarning,
                        settings.address());
                droppedSinceWarning = 0;
            }
            settled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The first queued messages (left queued), once there are any; empty when a ping is due. */
    private List<Entry> awaitBatch(long nextPing) throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() && !closed) {
                long remaining = nextPing - clock.monotonicNanos();
                if (remaining <= 0) {
                    return List.of();
                }
                queued.await(remaining, TimeUnit.NANOSECONDS);
            }
            List<Entry> batch = new ArrayList<>(Math.min(queue.size(), BATCH));
            for (Entry entry : queue) {
                if (batch.size() == BATCH) {
                    break;
                }
                batch.add(entry);
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void recovered() {
        backoff.reset();
        connectionLog.connected();
    }

    private boolean isIdle() {
        lock.lock();
        try {
            return queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(@Nullable Jedis jedis) {
        if (jedis == null) {
            return;
        }
        try {
            jedis.close();
        } catch (RuntimeException e) {
            // the socket is gone either way
        }
    }
}
