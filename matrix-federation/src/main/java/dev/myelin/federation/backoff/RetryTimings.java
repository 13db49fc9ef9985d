package dev.myelin.federation.backoff;

import java.time.Duration;
import java.time.Instant;

/**
 * The backoff state of one destination, in milliseconds since the Unix epoch, as Synapse keeps it
 * in its {@code destinations} table.
 *
 * @param failureTs when the destination started failing, {@code 0} when it is up
 * @param retryLastTs when the last failed attempt was made, {@code 0} when the destination is up
 * @param retryIntervalMs how long after {@code retryLastTs} no request is sent, {@code 0} when the
 *     destination is up
 */
public record RetryTimings(long failureTs, long retryLastTs, long retryIntervalMs) {
    /** A destination that is up, or was never tried. */
    public static final RetryTimings UP = new RetryTimings(0, 0, 0);

    public RetryTimings {
        if (failureTs < 0 || retryLastTs < 0 || retryIntervalMs < 0) {
            throw new IllegalArgumentException(
                    "retry timings cannot be negative: " + failureTs + ", " + retryLastTs + ", " + retryIntervalMs);
        }
    }

    /** Whether the destination is failing: the last attempt failed and no attempt has succeeded since. */
    public boolean failing() {
        return retryLastTs != 0;
    }

    /** The earliest time the next attempt may be made ({@code retryLastTs + retryIntervalMs}). */
    public Instant retryAt() {
        return Instant.ofEpochMilli(saturatedAdd(retryLastTs, retryIntervalMs));
    }

    /** The interval as a duration. */
    public Duration retryInterval() {
        return Duration.ofMillis(retryIntervalMs);
    }

    /**
     * Whether a request sent at {@code nowMs} must wait: the retry time has not come yet.
     *
     * @param nowMs the current time in milliseconds since the epoch
     * @return true while the destination is in backoff
     */
    public boolean inBackoffAt(long nowMs) {
        return failing() && saturatedAdd(retryLastTs, retryIntervalMs) > nowMs;
    }

    /**
     * Whether these timings, written after an attempt, may replace {@code stored}: they reset the
     * destination, lengthen its interval or record a later attempt. An attempt that began before
     * another one failed must not shorten the backoff that one set.
     *
     * @param stored the timings stored now
     * @return true when these timings should be stored instead
     */
    public boolean supersedes(RetryTimings stored) {
        return retryIntervalMs == 0
                || retryLastTs == 0
                || stored.retryIntervalMs < retryIntervalMs
                || stored.retryLastTs < retryLastTs;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < a ? Long.MAX_VALUE : sum;
    }
}
