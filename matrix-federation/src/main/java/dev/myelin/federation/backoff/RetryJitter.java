package dev.myelin.federation.backoff;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The random factor a retry delay or backoff interval is multiplied by, so that servers that failed
 * together do not all retry at the same instant. A seam so that tests can fix the factor.
 */
@FunctionalInterface
public interface RetryJitter {
    /** Synapse's jitter: a factor drawn uniformly from 0.8 (inclusive) to 1.4 (exclusive). */
    RetryJitter UNIFORM_0_8_TO_1_4 = () -> ThreadLocalRandom.current().nextDouble(0.8, 1.4);

    /** No jitter: the factor is always 1. */
    RetryJitter NONE = () -> 1.0;

    /**
     * The next factor.
     *
     * @return a positive factor, around 1
     */
    double factor();

    /**
     * A jitter that always answers {@code factor}, for tests.
     *
     * @param factor the factor
     * @return the fixed jitter
     */
    static RetryJitter fixed(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("jitter factor must be positive: " + factor);
        }
        return () -> factor;
    }
}
