package dev.myelin.federation.backoff;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one federation request is retried before it fails, with Synapse's two schedules: the long one
 * for requests nobody waits on (sending a transaction) and the short one for requests someone is
 * waiting for (a join, a query from a client). Between the attempts of one request only; the
 * backoff across requests is {@link DestinationBackoff}'s.
 *
 * <p>The delay before retry {@code n} (1 for the retry after the first failed attempt) is:
 *
 * <ul>
 *   <li>long: 4<sup>n</sup> seconds (4 s, 16 s, 64 s, ...), at most {@code maxLongRetryDelay};
 *   <li>short: 2<sup>n-1</sup> half seconds (0.5 s, 1 s, 2 s, ...), at most {@code maxShortRetryDelay};
 * </ul>
 *
 * <p>then multiplied by the {@linkplain RetryJitter jitter} (Synapse's is 0.8 to 1.4, so a delay may
 * exceed the maximum by up to 40%). After {@code maxLongRetries} or {@code maxShortRetries} retries
 * the request fails. As in Synapse, a caller retries only what may succeed on a second try (the
 * connection failed, or the answer was a 5xx or 429), and not a request that timed out.
 *
 * @param maxLongRetries {@code federation.max_long_retries}: retries on the long schedule (Synapse: 10)
 * @param maxLongRetryDelay {@code federation.max_long_retry_delay}: the long schedule's cap (Synapse: 60s)
 * @param maxShortRetries {@code federation.max_short_retries}: retries on the short schedule (Synapse: 3)
 * @param maxShortRetryDelay {@code federation.max_short_retry_delay}: the short schedule's cap (Synapse: 2s)
 */
public record RequestRetryPolicy(
        int maxLongRetries, Duration maxLongRetryDelay, int maxShortRetries, Duration maxShortRetryDelay) {

    /** Synapse's defaults: 10 long retries up to 60 s apart, 3 short retries up to 2 s apart. */
    public static final RequestRetryPolicy DEFAULT =
            new RequestRetryPolicy(10, Duration.ofSeconds(60), 3, Duration.ofSeconds(2));

    /** Which of the two schedules a request follows. */
    public enum Schedule {
        /** Background requests: up to {@code maxLongRetries} retries, delays growing fourfold. */
        LONG,
        /** Requests someone waits for: up to {@code maxShortRetries} retries, delays doubling. */
        SHORT
    }

    public RequestRetryPolicy {
        Objects.requireNonNull(maxLongRetryDelay, "maxLongRetryDelay");
        Objects.requireNonNull(maxShortRetryDelay, "maxShortRetryDelay");
        if (maxLongRetries < 0 || maxShortRetries < 0) {
            throw new IllegalArgumentException("retry counts cannot be negative");
        }
        if (maxLongRetryDelay.isNegative() || maxShortRetryDelay.isNegative()) {
            throw new IllegalArgumentException("retry delays cannot be negative");
        }
    }

    /**
     * How many times a request on {@code schedule} is retried after its first attempt.
     *
     * @param schedule the schedule
     * @return the number of retries
     */
    public int maxRetries(Schedule schedule) {
        return schedule == Schedule.LONG ? maxLongRetries : maxShortRetries;
    }

    /**
     * The delay before retry {@code retry}, without jitter.
     *
     * @param schedule the schedule the request follows
     * @param retry 1 for the first retry, after the first failed attempt
     * @return the delay, or empty when the request has no retry left and must fail
     * @throws IllegalArgumentException when {@code retry} is less than 1
     */
    public Optional<Duration> delayBeforeRetry(Schedule schedule, int retry) {
        return delayBeforeRetry(schedule, retry, RetryJitter.NONE);
    }

    /**
     * The delay before retry {@code retry}: the schedule's delay, capped, times the jitter's factor.
     *
     * @param schedule the schedule the request follows
     * @param retry 1 for the first retry, after the first failed attempt
     * @param jitter the random factor (Synapse's is {@link RetryJitter#UNIFORM_0_8_TO_1_4})
     * @return the delay, or empty when the request has no retry left and must fail
     * @throws IllegalArgumentException when {@code retry} is less than 1
     */
    public Optional<Duration> delayBeforeRetry(Schedule schedule, int retry, RetryJitter jitter) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries are counted from 1: " + retry);
        }
        if (retry > maxRetries(schedule)) {
            return Optional.empty();
        }
        long capMs = (schedule == Schedule.LONG ? maxLongRetryDelay : maxShortRetryDelay).toMillis();
        long ms = schedule == Schedule.LONG ? 4_000 : 500;
        long growth = schedule == Schedule.LONG ? 4 : 2;
        for (int i = 1; i < retry && ms < capMs && ms <= Long.MAX_VALUE / growth; i++) {
            ms *= growth; // stops at the cap, long before it could overflow
        }
        long capped = Math.min(ms, capMs);
        return Optional.of(Duration.ofMillis((long) (capped * jitter.factor())));
    }
}
