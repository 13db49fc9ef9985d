package dev.myelin.federation.ratelimit;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.ServerRequestGate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-origin limits on requests from other servers, as Synapse's {@code rc_federation} sets them:
 * a server's requests beyond {@code sleep_limit} in the last {@code window_size} are each delayed
 * by {@code sleep_delay}; at most {@code concurrent} of its requests run at once and the rest
 * wait their turn in arrival order; once more than {@code reject_limit} wait (delayed or queued),
 * new ones are refused with 429 {@code M_LIMIT_EXCEEDED}. One busy server cannot take every
 * thread, and the others are not slowed by it.
 *
 * <p>Waiting is on the {@link Clock}; the requests run on virtual threads, so a waiting request
 * holds no platform thread.
 */
public final class OriginRateLimiter implements ServerRequestGate {
    private final FederationRateLimitConfig config;
    private final Clock clock;
    private final Map<ServerName, Origin> origins = new ConcurrentHashMap<>();

    public OriginRateLimiter(FederationRateLimitConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Permit enter(ServerName origin) {
        Origin state = origins.computeIfAbsent(origin, o -> new Origin());
        boolean delay = state.arrive();
        if (delay) {
            try {
                clock.sleep(config.sleepDelay());
            } catch (InterruptedException e) {
                state.abandonDelayed();
                throw shuttingDown();
            }
        }
        try {
            state.awaitTurn(delay);
        } catch (InterruptedException e) {
            throw shuttingDown();
        }
        return state::leave;
    }

    private static MatrixException shuttingDown() {
        Thread.currentThread().interrupt();
        return new MatrixException(503, ErrorCode.UNKNOWN, "shutting down");
    }

    /** How many requests of {@code origin} are running now (for tests and metrics). */
    public int running(ServerName origin) {
        Origin state = origins.get(origin);
        return state == null ? 0 : state.running();
    }

    /** One origin's requests: their arrival times within the window, and who runs and who waits. */
    private final class Origin {
        private final ReentrantLock lock = new ReentrantLock(true);
        private final Condition turn = lock.newCondition();
        private final Deque<Long> arrivals = new ArrayDeque<>();
        private int sleeping;
        private int queued;
        private int running;

        /** Counts the request in; whether it is to be delayed first. Refuses it when too many wait. */
        boolean arrive() {
            long now = clock.monotonicNanos();
            lock.lock();
            try {
                long windowStart = now - config.window().toNanos();
                while (!arrivals.isEmpty() && arrivals.peekFirst() <= windowStart) {
                    arrivals.pollFirst();
                }
                if (sleeping + queued > config.rejectLimit()) {
                    long retryAfter = Math.max(1, config.window().toMillis() / config.sleepLimit());
                    throw MatrixException.limitExceeded(retryAfter);
                }
                arrivals.addLast(now);
                boolean delay = arrivals.size() > config.sleepLimit();
                if (delay) {
                    sleeping++;
                } else {
                    queued++;
                }
                return delay;
            } finally {
                lock.unlock();
            }
        }

        void awaitTurn(boolean wasDelayed) throws InterruptedException {
            lock.lock();
            try {
                if (wasDelayed) {
                    sleeping--;
                    queued++;
                }
                while (running >= config.concurrent()) {
                    turn.await();
                }
                queued--;
                running++;
            } catch (InterruptedException e) {
                queued--;
                throw e;
            } finally {
                lock.unlock();
            }
        }

        /** A delayed request that stopped waiting before its turn (interrupted). */
        void abandonDelayed() {
            lock.lock();
            try {
                sleeping--;
            } finally {
                lock.unlock();
            }
        }

        void leave() {
            lock.lock();
            try {
                running--;
                turn.signal();
            } finally {
                lock.unlock();
            }
        }

        int running() {
            lock.lock();
            try {
                return running;
            } finally {
                lock.unlock();
            }
        }
    }
}
