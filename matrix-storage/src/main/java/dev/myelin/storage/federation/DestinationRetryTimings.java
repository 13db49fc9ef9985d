package dev.myelin.storage.federation;

/**
 * The stored backoff state of one destination, in milliseconds since the Unix epoch.
 *
 * @param failureTs when the destination started failing, {@code 0} when it is not failing
 * @param retryLastTs when the last failed attempt was made, {@code 0} when the destination is up
 * @param retryIntervalMs how long after {@code retryLastTs} the next attempt may be made, {@code 0}
 *     when the destination is up
 */
public record DestinationRetryTimings(long failureTs, long retryLastTs, long retryIntervalMs) {
    /** The timings of a destination that is up (or was never tried). */
    public static final DestinationRetryTimings UP = new DestinationRetryTimings(0, 0, 0);

    public DestinationRetryTimings {
        if (failureTs < 0 || retryLastTs < 0 || retryIntervalMs < 0) {
            throw new IllegalArgumentException(
                    "retry timings cannot be negative: " + failureTs + ", " + retryLastTs + ", " + retryIntervalMs);
        }
    }
}
