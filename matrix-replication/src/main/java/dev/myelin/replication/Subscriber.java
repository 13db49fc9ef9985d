package dev.myelin.replication;

import dev.myelin.core.time.Clock;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * The subscriber thread's work: stay subscribed to the channel, reconnecting after every loss, and
 * hand each message of another instance to the listener.
 *
 * <p>The thread blocks reading the subscription, so it cannot ping the server itself; {@link
 * #ping()} is called from the publisher thread, and a subscription that hears nothing within the
 * read timeout (not even that PING's reply) fails the read and is replaced. The server is then
 * taken to be hung, and the publisher's connection is cut too: its reads time out by themselves,
 * but a write blocked on a full socket buffer would wait for as long as the server does.
 */
final class Subscriber implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisReplication.class);

    private final RedisSettings settings;
    private final String instance;
    private final String incarnation;
    private final Clock clock;
    private final RedisReplication.Listener listener;
    private final RedisConnector connector;
    private final Runnable onHungServer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition connectedChanged = lock.newCondition();
    private final Backoff backoff = new Backoff();
    private final ConnectionLog connectionLog;
    private boolean connected; // guarded by lock
    private volatile @Nullable Subscription subscription;
    private volatile boolean closed;

    Subscriber(
            RedisSettings settings,
            String instance,
            String incarnation,
            Clock clock,
            RedisReplication.Listener listener,
            RedisConnector connector,
            Runnable onHungServer) {
        this.settings = settings;
        this.instance = instance;
        this.incarnation = incarnation;
        this.clock = clock;
        this.listener = listener;
        this.connector = connector;
        this.onHungServer = onHungServer;
        this.connectionLog = new ConnectionLog("subscriber of " + instance, settings.address());
    }

    @Override
    public void run() {
        while (!closed) {
            Jedis jedis = null;
            try {
                jedis = connector.connect();
                jedis.subscribe(new Subscription(), settings.channel());
            } catch (RuntimeException e) {
                // JedisException for a lost connection; anything else from Jedis is treated alike
                if (!closed) {
                    connectionLog.failed(e);
                    if (hasCause(e, SocketTimeoutException.class)) {
                        onHungServer.run();
                    }
                }
            } finally {
                subscription = null;
                setConnected(false);
                if (jedis != null) {
                    closeQuietly(jedis);
                }
            }
            if (closed) {
                return;
            }
            try {
                clock.sleep(backoff.next());
            } catch (InterruptedException e) {
                return; // only close() interrupts
            }
        }
    }

    /** PINGs the subscription, if there is one, so that a live server has something to say. */
    void ping() {
        Subscription current = subscription;
        if (current == null) {
            return;
        }
        try {
            current.ping();
        } catch (RuntimeException e) {
            // the subscriber thread notices the broken connection by itself
            LOG.debug("Replication subscriber: PING failed: {}", e.toString());
        }
    }

    boolean connected() {
        lock.lock();
        try {
            return connected;
        } finally {
            lock.unlock();
        }
    }

    boolean awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = clock.monotonicNanos() + timeout.toNanos();
        lock.lock();
        try {
            while (!connected && !closed) {
                long remaining = deadline - clock.monotonicNanos();
                if (remaining <= 0) {
                    return false;
                }
                connectedChanged.await(remaining, TimeUnit.NANOSECONDS);
            }
            return connected && !closed;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the thread: no reconnection, and the current connection is cut. */
    void close() {
        closed = true;
        connector.abort();
        lock.lock();
        try {
            connectedChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void setConnected(boolean value) {
        lock.lock();
        try {
            connected = value;
            connectedChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void deliver(String json) {
        ReplicationMessage message;
        try {
            message = ReplicationCodec.decode(json);
        } catch (ReplicationCodecException e) {
            LOG.warn("Replication subscriber: skipping an unreadable message: {}", e.getMessage());
            return;
        }
        if (message.instance().equals(instance) && message.incarnation().equals(incarnation)) {
            return;
        }
        try {
            listener.onMessage(message);
        } catch (RuntimeException e) {
            // one failing handler must not cost the subscription and every later message
            LOG.error(
                    "Replication listener failed on {} #{} from {}",
                    message.command().getClass().getSimpleName(),
                    message.sequence(),
                    message.instance(),
                    e);
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(Jedis jedis) {
        try {
            jedis.close();
        } catch (RuntimeException e) {
            // the socket is gone either way
        }
    }

    /** One connection's subscription; Jedis calls it back on the subscriber thread. */
    private final class Subscription extends JedisPubSub {

        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            // the SUBSCRIBE has been written and confirmed: from now on only PINGs write to it
            subscription = this;
            backoff.reset();
            connectionLog.connected();
            try {
                listener.onConnected();
            } catch (RuntimeException e) {
                LOG.error("Replication listener failed on connect", e);
            }
            // after onConnected, so whoever awaits the connection sees what onConnected did
            setConnected(true);
        }

        @Override
        public void onMessage(String channel, String message) {
            deliver(message);
        }
    }
}
