package dev.myelin.server.handler.slidingsync;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sliding sync connections of this process, by user, device and {@code conn_id}, each with the
 * states it handed out as {@code pos} tokens. They live in memory: a connection idle for
 * {@link #IDLE}, or one from before a restart, is gone, and its {@code pos} is answered
 * {@code M_UNKNOWN_POS}, which makes the client start the connection afresh (as MSC4186 allows).
 */
final class Connections {
    /** How long a connection lives after its last request. */
    static final Duration IDLE = Duration.ofMinutes(30);

    private static final int MAX_CONNECTIONS = 50_000;
    /** States kept per connection: the one the client confirmed and the few handed out after it. */
    private static final int MAX_STATES = 8;

    static final ErrorCode UNKNOWN_POS = ErrorCode.of("M_UNKNOWN_POS");

    private record Key(UserId user, Optional<DeviceId> device, String connId) {}

    /** One connection: the states it handed out, by number. */
    static final class Connection {
        private final long generation;
        private final ReentrantLock lock = new ReentrantLock();
        private final TreeMap<Long, ConnectionState> states = new TreeMap<>();
        private long next = 1;

        private Connection(long generation) {
            this.generation = generation;
        }

        /**
         * The state {@code pos} names; handing it out means the client holds it, so states before it are
         * dropped.
         */
        Optional<ConnectionState> confirm(String pos) {
            Optional<Long> number = numberOf(pos);
            lock.lock();
            try {
                ConnectionState state = number.map(states::get).orElse(null);
                if (state == null) {
                    return Optional.empty();
                }
                states.headMap(state.number(), false).clear();
                return Optional.of(state);
            } finally {
                lock.unlock();
            }
        }

        /** The number the next state will have. */
        long reserve() {
            lock.lock();
            try {
                return next++;
            } finally {
                lock.unlock();
            }
        }

        /** Keeps {@code state} and returns its {@code pos}. */
        String keep(ConnectionState state) {
            lock.lock();
            try {
                states.put(state.number(), state);
                while (states.size() > MAX_STATES) {
                    states.pollFirstEntry();
                }
            } finally {
                lock.unlock();
            }
            return generation + "_" + state.number();
        }

        private Optional<Long> numberOf(String pos) {
            int sep = pos.indexOf('_');
            if (sep < 0 || !pos.substring(0, sep).equals(Long.toString(generation))) {
                return Optional.empty();
            }
            try {
                return Optional.of(Long.parseLong(pos.substring(sep + 1)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    private final Cache<Key, Connection> connections;
    /** Connection generations: they start at the start-up time, so no {@code pos} from before a restart matches. */
    private final AtomicLong generations;

    Connections(Clock clock) {
        this.connections = Caffeine.newBuilder()
                .ticker(clock::monotonicNanos)
                .expireAfterAccess(IDLE)
                .maximumSize(MAX_CONNECTIONS)
                .executor(Runnable::run)
                .build();
        this.generations = new AtomicLong(clock.nowMillis());
    }

    /** A new connection, replacing any of the same key: a request without {@code pos} starts afresh. */
    Connection start(UserId user, Optional<DeviceId> device, String connId) {
        Connection connection = new Connection(generations.incrementAndGet());
        connections.put(new Key(user, device, connId), connection);
        return connection;
    }

    /** The connection and its state that {@code pos} names; 400 {@code M_UNKNOWN_POS} when there is none. */
    Map.Entry<Connection, ConnectionState> resume(UserId user, Optional<DeviceId> device, String connId, String pos) {
        Connection connection = connections.getIfPresent(new Key(user, device, connId));
        Optional<ConnectionState> state = connection == null ? Optional.empty() : connection.confirm(pos);
        if (state.isEmpty()) {
            throw new MatrixException(400, UNKNOWN_POS, "Unknown or expired sliding sync position");
        }
        return Map.entry(connection, state.get());
    }

    /** How many connections are kept; for tests and metrics. */
    long size() {
        connections.cleanUp();
        return connections.estimatedSize();
    }
}
