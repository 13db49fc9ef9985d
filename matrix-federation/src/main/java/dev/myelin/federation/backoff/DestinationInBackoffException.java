package dev.myelin.federation.backoff;

import dev.myelin.core.id.ServerName;
import java.time.Instant;

/**
 * A request was not sent because its destination is in backoff: an earlier attempt failed and its
 * retry time has not come. Nothing was sent; the caller may try again at {@link #retryAt()}.
 * Synapse calls the same condition {@code NotRetryingDestination}.
 */
public final class DestinationInBackoffException extends RuntimeException {
    private final ServerName destination;
    private final RetryTimings timings;

    /**
     * Creates the exception.
     *
     * @param destination the server not contacted
     * @param timings its backoff state
     */
    public DestinationInBackoffException(ServerName destination, RetryTimings timings) {
        super("not contacting " + destination + " before " + timings.retryAt() + ": it has been failing since "
                + Instant.ofEpochMilli(timings.failureTs()) + ", last tried at "
                + Instant.ofEpochMilli(timings.retryLastTs()) + " (backoff " + timings.retryInterval() + ")");
        this.destination = destination;
        this.timings = timings;
    }

    /** The server not contacted. */
    public ServerName destination() {
        return destination;
    }

    /** Its backoff state when the request was refused. */
    public RetryTimings timings() {
        return timings;
    }

    /** The earliest time a request may be sent to it again. */
    public Instant retryAt() {
        return timings.retryAt();
    }
}
