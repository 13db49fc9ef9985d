package dev.myelin.replication;

import dev.myelin.core.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's link to the replication channel: publishes this instance's commands and delivers
 * the other instances' commands, over Redis pub/sub, surviving Redis restarts and outages.
 *
 * <p>Two threads per link, each with its own connection: {@code replication-sub} stays subscribed
 * and calls the {@link Listener}; {@code replication-pub} drains the outgoing queue and PINGs the
 * subscription (which is otherwise silent when nothing happens, so a hung server would go
 * unnoticed). Both reconnect by themselves after any failure, waiting 100 ms doubling to 2 s
 * between attempts (through the injected {@link Clock}), and log a loss and its recovery once
 * each.
 *
 * <p>What a caller must know:
 *
 * <ul>
 *   <li>Both callbacks run on the subscriber thread, one at a time, in the order Redis delivered
 *       the messages. A slow callback delays every later message, and if Redis's output buffer for
 *       the subscription overflows (by default 8 MB for a minute, or 32 MB) Redis drops the
 *       subscription: hand heavy work to another thread.
 *   <li>Each sender's messages arrive in its order; there is no order between different senders.
 *   <li>Pub/sub keeps nothing for a subscriber that is away: messages published while this link
 *       was not subscribed are lost to it. {@link Listener#onConnected()} is the moment to catch
 *       up (send {@link ReplicationCommand.Replicate}, re-read positions from the database); a
 *       {@link SequenceTracker} shows which senders' messages were lost.
 *   <li>Outgoing commands wait in a queue while Redis is away and go out in order afterwards. The
 *       queue holds 100,000; beyond that the oldest is dropped, which readers see as a gap. A
 *       command whose PUBLISH reply was lost in a failure is published again after reconnecting,
 *       so a reader can receive the same sequence number twice; {@link SequenceTracker} reports
 *       the second as a duplicate.
 *   <li>Messages of this instance's own run are not delivered back to it; those of an earlier run
 *       with the same name are.
 * </ul>
 */
public final class RedisReplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisReplication.class);

    /** How many commands wait for Redis before the oldest is dropped. */
    static final int QUEUE_CAPACITY = 100_000;

    /**
     * Receives what the other instances say. Both methods are called on the subscriber thread,
     * never concurrently; an exception thrown is logged and does not end the subscription.
     */
    public interface Listener {
        /**
         * The subscription is (re)established: called on the subscriber thread after each SUBSCRIBE
         * confirmation, before any message of that connection.
         */
        void onConnected();

        /**
         * A message of another instance (messages of this instance and incarnation are not
         * delivered back).
         *
         * @param message the message, in the order Redis delivered it
         */
        void onMessage(ReplicationMessage message);
    }

    private final String instance;
    private final String incarnation;
    private final Timeouts timeouts;
    private final Subscriber subscriber;
    private final Publisher publisher;
    private final Thread subscriberThread;
    private final Thread publisherThread;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * A link that does nothing until {@link #start()}.
     *
     * @param settings where Redis is and which channel to use
     * @param instance this instance's name, as other instances know it
     * @param clock the clock that reconnection waits and timeouts are measured with
     * @param listener receives the other instances' messages
     */
    public RedisReplication(RedisSettings settings, String instance, Clock clock, Listener listener) {
        this(settings, instance, clock, listener, Timeouts.DEFAULT, QUEUE_CAPACITY);
    }

    RedisReplication(
            RedisSettings settings,
            String instance,
            Clock clock,
            Listener listener,
            Timeouts timeouts,
            int queueCapacity) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(listener, "listener");
        if (instance.isEmpty()) {
            throw new IllegalArgumentException("the instance name is empty");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("the queue needs room for at least one command");
        }
        this.instance = instance;
        // random per start: readers tell a restarted instance from one that skipped numbers
        this.incarnation =
                HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        this.timeouts = timeouts;
        String clientName = "myelin-" + instance.replaceAll("[^A-Za-z0-9._-]", "_");
        RedisConnector publisherConnector = new RedisConnector(settings, timeouts, clientName + "-pub");
        this.subscriber = new Subscriber(
                settings,
                instance,
                incarnation,
                clock,
                listener,
                new RedisConnector(settings, timeouts, clientName + "-sub"),
                publisherConnector::cut);
        this.publisher = new Publisher(
                settings, instance, incarnation, clock, timeouts, publisherConnector, subscriber, queueCapacity);
        this.subscriberThread = thread("replication-sub", subscriber);
        this.publisherThread = thread("replication-pub", publisher);
    }

    /** Connects in the background; does not wait. A second call does nothing. */
    public void start() {
        if (closed.get()) {
            throw new IllegalStateException("replication link is closed");
        }
        if (started.compareAndSet(false, true)) {
            subscriberThread.start();
            publisherThread.start();
        }
    }

    /**
     * Waits until the subscription is established (and {@link Listener#onConnected()} has returned).
     *
     * @param timeout how long to wait at most
     * @return whether subscribed now; false on timeout or after close
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return subscriber.awaitConnected(timeout);
    }

    /**
     * Whether the subscription is established now (false while reconnecting: messages of other
     * instances may be missed meanwhile).
     */
    public boolean connected() {
        return subscriber.connected();
    }

    /** This run's random incarnation, as stamped on every message it sends. */
    public String incarnation() {
        return incarnation;
    }

    /** This instance's name, as stamped on every message it sends. */
    public String instance() {
        return instance;
    }

    /**
     * Queues a command for publishing, in order, never blocking (bounded queue of 100,000; when full
     * the oldest queued is dropped, so readers see a sequence gap). Returns the sequence number
     * given.
     *
     * <p>May be called before {@link #start()} (the command waits in the queue) and from any thread;
     * after {@link #close()} the command is numbered and discarded.
     *
     * @param command what to tell the other instances
     * @return the sequence number the message carries
     * @throws ReplicationCodecException if the command cannot be written as JSON (only a {@link
     *     ReplicationCommand.Command} body holding an object Jackson cannot write); no number is
     *     used up then
     */
    public long publish(ReplicationCommand command) {
        return publisher.enqueue(Objects.requireNonNull(command, "command")).sequence;
    }

    /**
     * Publishes and waits until Redis has accepted it (and everything queued before it); false on
     * timeout.
     *
     * <p>On timeout the command stays queued and is published later, unless it is dropped for space
     * or the link is closed.
     *
     * @param command what to tell the other instances
     * @param timeout how long to wait at most
     * @return whether Redis accepted it within the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean publishAndWait(ReplicationCommand command, Duration timeout) throws InterruptedException {
        Publisher.Entry entry = publisher.enqueue(Objects.requireNonNull(command, "command"));
        return publisher.awaitPublished(entry, timeout);
    }

    /**
     * Stops both threads and closes both connections, promptly even when Redis is unreachable;
     * idempotent. Queued commands are not published.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        publisher.close();
        subscriber.close();
        if (!started.get()) {
            return;
        }
        publisherThread.interrupt();
        subscriberThread.interrupt();
        // cutting the sockets ends any blocked I/O at once; the bound is for a thread stuck in a callback
        join(publisherThread, timeouts.connect());
        join(subscriberThread, timeouts.connect());
    }

    private static Thread thread(String name, Runnable work) {
        return Thread.ofPlatform()
                .name(name)
                .daemon(true)
                // both loops catch what a connection can throw; an Error must not end replication unseen
                .uncaughtExceptionHandler(
                        (t, e) -> LOG.error("Replication thread {} died; replication has stopped", t.getName(), e))
                .unstarted(work);
    }

    private static void join(@Nullable Thread thread, Duration timeout) {
        if (thread == null || thread == Thread.currentThread()) {
            return; // close() called from a listener callback: the thread ends after it returns
        }
        try {
            if (!thread.join(timeout)) {
                LOG.warn("Replication: thread {} has not stopped within {}", thread.getName(), timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
