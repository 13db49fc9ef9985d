package dev.myelin.federation.backoff;

import dev.myelin.core.id.ServerName;
import java.util.Optional;

/**
 * Where {@link DestinationBackoff} keeps each destination's {@link RetryTimings} so that a restart
 * keeps them: in a homeserver, matrix-storage's {@code DestinationRetryStore} (table {@code
 * destinations}), adapted where the server is wired. {@link #inMemory()} forgets on restart.
 */
public interface RetryTimingsRepository {
    /**
     * The stored timings of {@code destination}.
     *
     * @param destination the remote server
     * @return its timings, empty when it was never recorded or is up
     */
    Optional<RetryTimings> get(ServerName destination);

    /**
     * Records the timings of {@code destination} after an attempt. An implementation ignores
     * timings that do not {@linkplain RetryTimings#supersedes supersede} the stored ones (a reset,
     * a longer interval or a later attempt), as {@code DestinationRetryStore} does, because
     * another process may have recorded a newer failure meanwhile.
     *
     * @param destination the remote server
     * @param timings the timings after the attempt
     */
    void set(ServerName destination, RetryTimings timings);

    /** A repository in memory only, for tests and for a server that does not persist backoff. */
    static RetryTimingsRepository inMemory() {
        return new InMemoryRetryTimings();
    }
}
