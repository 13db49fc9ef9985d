package dev.myelin.federation.backoff;

import dev.myelin.core.id.ServerName;

/**
 * One attempt to reach a destination, begun by {@link DestinationBackoff#begin}: the caller sends
 * its request and reports how it went, once. The new backoff is computed from the state seen when
 * the attempt began, so several requests that fail together grow the backoff once, not once each.
 *
 * <p>What counts as what follows Synapse: a response is proof the destination is up and resets
 * its backoff; a failure to connect, a timeout, a 5xx, a 401 (it will not accept our requests for
 * a while) or a 429 (it is rate-limiting us) is a failure; other 4xx answers change nothing, since
 * a decommissioned server may answer every request with 404 or 403.
 */
public final class DestinationAttempt {
    private final DestinationBackoff backoff;
    private final ServerName destination;
    private final RetryTimings seen;
    private final boolean backoffOnFailure;

    DestinationAttempt(
            DestinationBackoff backoff, ServerName destination, RetryTimings seen, boolean backoffOnFailure) {
        this.backoff = backoff;
        this.destination = destination;
        this.seen = seen;
        this.backoffOnFailure = backoffOnFailure;
    }

    /** The destination this attempt is for. */
    public ServerName destination() {
        return destination;
    }

    /** The destination's backoff state when the attempt began. */
    public RetryTimings seen() {
        return seen;
    }

    /** The destination answered: its backoff is reset. */
    public void succeeded() {
        backoff.recordSuccess(destination, seen);
    }

    /**
     * The destination could not be reached (connection refused, TLS or DNS failure, timeout) or
     * answered with a server error: its backoff grows, unless the attempt ignored the backoff.
     */
    public void failed() {
        if (backoffOnFailure) {
            backoff.recordFailure(destination, seen);
        }
    }

    /**
     * The destination answered with an error status: 401, 429 and 5xx count as {@link #failed()};
     * other statuses leave the backoff as it is (neither a failure nor proof the server works).
     *
     * @param status the HTTP status of the response
     */
    public void answeredWithError(int status) {
        if (status == 401 || status == 429 || status >= 500) {
            failed();
        }
    }
}
