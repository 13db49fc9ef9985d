package dev.myelin.server.handler.federation;

import dev.myelin.core.id.ServerName;
import dev.myelin.federation.backoff.RetryTimings;
import dev.myelin.federation.backoff.RetryTimingsRepository;
import dev.myelin.storage.federation.DestinationRetryStore;
import dev.myelin.storage.federation.DestinationRetryTimings;
import java.util.Optional;

/** Each destination's backoff in the database ({@code destinations}), so a restart keeps it. */
public final class StoredRetryTimings implements RetryTimingsRepository {
    private final DestinationRetryStore store;

    public StoredRetryTimings(DestinationRetryStore store) {
        this.store = store;
    }

    @Override
    public Optional<RetryTimings> get(ServerName destination) {
        return store.get(destination).map(t -> new RetryTimings(t.failureTs(), t.retryLastTs(), t.retryIntervalMs()));
    }

    @Override
    public void set(ServerName destination, RetryTimings timings) {
        store.set(
                destination,
                new DestinationRetryTimings(timings.failureTs(), timings.retryLastTs(), timings.retryIntervalMs()));
    }
}
