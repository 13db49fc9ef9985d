package dev.myelin.federation.backoff;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The backoff of each federation destination: after a server could not be reached, no request is
 * sent to it until its retry interval has passed, and each further failure makes the interval
 * longer, up to a cap. A success resets it. The state ({@link RetryTimings}) is written through to a
 * {@link RetryTimingsRepository} (the database) so that a restart keeps it, and read through an
 * in-memory cache.
 *
 * <p>With Synapse's defaults ({@link FederationRetryConfig#DEFAULT}) the first failure sets the
 * interval to 10 minutes, and each further one multiplies it by 2 and by a jitter factor from 0.8
 * to 1.4 ({@link RetryJitter#UNIFORM_0_8_TO_1_4}; {@link RetryJitter#NONE} in tests that check exact
 * numbers), up to 7 days. A failure while the destination is already failing keeps its first
 * failure time ({@code failureTs}); the attempt time ({@code retryLastTs}) is the time of the failure.
 *
 * <p>Usage, for a request:
 *
 * <pre>{@code
 * DestinationAttempt attempt = backoff.begin(destination); // throws DestinationInBackoffException
 * try {
 *     Response r = send(...);
 *     attempt.succeeded();            // or attempt.answeredWithError(r.status())
 * } catch (IOException e) {
 *     attempt.failed();
 * }
 * }</pre>
 *
 * <p>A transaction queue asks {@link #retryAt} when to wake up, and then begins the attempt as
 * usual. {@link #beginIgnoringBackoff} is for requests that must be tried even so (Synapse's
 * {@code ignore_backoff}, e.g. a join the user asked for); their failure does not grow the interval
 * (a server briefly down would otherwise reach the cap quickly), their success still resets it.
 *
 * <p>The cache assumes that the destinations a process sends to are not being backed off by a
 * different process at the same time (one federation sender per destination); the repository
 * never lets an older state overwrite a newer failure either way.
 */
public final class DestinationBackoff {
    private final FederationRetryConfig config;
    private final Clock clock;
    private final RetryTimingsRepository repository;
    private final RetryJitter jitter;
    private final ConcurrentMap<ServerName, RetryTimings> cache = new ConcurrentHashMap<>();

    /**
     * Creates the backoff.
     *
     * @param config the intervals ({@code destination_*} settings)
     * @param clock the source of the current time
     * @param repository where the state is kept across restarts
     * @param jitter the random factor of each growth ({@link RetryJitter#UNIFORM_0_8_TO_1_4} in production)
     */
    public DestinationBackoff(
            FederationRetryConfig config, Clock clock, RetryTimingsRepository repository, RetryJitter jitter) {
        this.config = config;
        this.clock = clock;
        this.repository = repository;
        this.jitter = jitter;
    }

    /**
     * The backoff state of {@code destination}.
     *
     * @param destination the remote server
     * @return its timings, {@link RetryTimings#UP} when it is not failing
     */
    public RetryTimings timings(ServerName destination) {
        RetryTimings cached = cache.get(destination);
        if (cached != null) {
            return cached;
        }
        // read outside the map's lock: a blocking database read must not hold up other destinations
        RetryTimings loaded = repository.get(destination).orElse(RetryTimings.UP);
        RetryTimings raced = cache.putIfAbsent(destination, loaded);
        return raced == null ? loaded : raced;
    }

    /**
     * When a request may next be sent to {@code destination}.
     *
     * @param destination the remote server
     * @return the end of its backoff, or empty when a request may be sent now
     */
    public Optional<Instant> retryAt(ServerName destination) {
        RetryTimings timings = timings(destination);
        return timings.inBackoffAt(clock.nowMillis()) ? Optional.of(timings.retryAt()) : Optional.empty();
    }

    /**
     * How many destinations this process knows to be in backoff now (those it tried or was asked
     * about since it started); for metrics.
     */
    public int inBackoffCount() {
        long now = clock.nowMillis();
        int count = 0;
        for (RetryTimings timings : cache.values()) {
            if (timings.inBackoffAt(now)) {
                count++;
            }
        }
        return count;
    }

    /**
     * Whether {@code destination} is in backoff now.
     *
     * @param destination the remote server
     * @return true when a request must not be sent yet
     */
    public boolean inBackoff(ServerName destination) {
        return retryAt(destination).isPresent();
    }

    /**
     * Begins an attempt to reach {@code destination}, refusing while it is in backoff.
     *
     * @param destination the remote server
     * @return the attempt, to report its outcome to
     * @throws DestinationInBackoffException when the destination's retry time has not come
     */
    public DestinationAttempt begin(ServerName destination) {
        RetryTimings timings = timings(destination);
        if (timings.inBackoffAt(clock.nowMillis())) {
            throw new DestinationInBackoffException(destination, timings);
        }
        return new DestinationAttempt(this, destination, timings, true);
    }

    /**
     * Begins an attempt to reach {@code destination} even while it is in backoff. A failure leaves
     * the interval as it is; a success resets it.
     *
     * @param destination the remote server
     * @return the attempt, to report its outcome to
     */
    public DestinationAttempt beginIgnoringBackoff(ServerName destination) {
        return new DestinationAttempt(this, destination, timings(destination), false);
    }

    /**
     * Ends {@code destination}'s backoff because it was seen up otherwise (it sent this server a
     * signed request), as Synapse does: its next request need not wait for the interval.
     *
     * @param destination the remote server
     * @return whether it was in backoff
     */
    public boolean seenUp(ServerName destination) {
        if (!timings(destination).failing()) {
            return false;
        }
        record(destination, RetryTimings.UP);
        return true;
    }

    void recordSuccess(ServerName destination, RetryTimings seen) {
        if (seen.failing() || timings(destination).failing()) {
            record(destination, RetryTimings.UP);
        }
    }

    void recordFailure(ServerName destination, RetryTimings seen) {
        // 0 means "not failing" in the stored columns, so a failure is never recorded at the epoch itself
        long now = Math.max(1, clock.nowMillis());
        long max = config.destinationMaxRetryInterval().toMillis();
        long interval;
        if (seen.retryIntervalMs() == 0) {
            interval = config.destinationMinRetryInterval().toMillis();
        } else {
            double grown = seen.retryIntervalMs() * config.destinationRetryMultiplier() * jitter.factor();
            interval = grown >= max ? max : (long) grown;
        }
        interval = Math.min(interval, max);
        long failureTs = seen.failureTs() == 0 ? now : seen.failureTs();
        record(destination, new RetryTimings(failureTs, now, interval));
    }

    private void record(ServerName destination, RetryTimings next) {
        cache.merge(destination, next, (stored, given) -> given.supersedes(stored) ? given : stored);
        repository.set(destination, next);
    }
}
