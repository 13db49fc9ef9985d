package dev.myelin.federation.backoff;

import dev.myelin.core.id.ServerName;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** {@link RetryTimingsRepository#inMemory()}: the same replacement rule as the database, in a map. */
final class InMemoryRetryTimings implements RetryTimingsRepository {
    private final ConcurrentMap<ServerName, RetryTimings> timings = new ConcurrentHashMap<>();

    @Override
    public Optional<RetryTimings> get(ServerName destination) {
        return Optional.ofNullable(timings.get(destination)).filter(RetryTimings::failing);
    }

    @Override
    public void set(ServerName destination, RetryTimings next) {
        timings.merge(destination, next, (stored, given) -> given.supersedes(stored) ? given : stored);
    }
}
