package dev.myelin.http.server;

import dev.myelin.core.id.ServerName;

/**
 * What a request from another server passes through once its origin is known and before its
 * endpoint runs: per-origin limits on how many requests run at once and how fast they come
 * (Synapse's {@code rc_federation}). {@link #enter} may wait, or refuse with a {@link
 * dev.myelin.http.error.MatrixException} (429); the permit is closed when the endpoint is done.
 */
@FunctionalInterface
public interface ServerRequestGate {

    /** A gate letting every request through at once. */
    ServerRequestGate OPEN = origin -> () -> {};

    /**
     * Lets a request from {@code origin} in, waiting as long as the limits say.
     *
     * @return what the caller closes when the request is done
     */
    Permit enter(ServerName origin);

    /** A request's place inside the gate. */
    @FunctionalInterface
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }
}
