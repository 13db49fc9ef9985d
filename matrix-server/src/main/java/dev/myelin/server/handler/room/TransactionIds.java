package dev.myelin.server.handler.room;

import dev.myelin.core.concurrent.Linearizer;
import dev.myelin.core.id.EventId;
import dev.myelin.core.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Remembers which event a client transaction id produced, so a retried
 * {@code PUT .../send/{type}/{txnId}} returns the same event instead of sending twice. Scoped to
 * the access token's device (or the token itself for device-less tokens), as the spec requires.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#transaction-identifiers">Transaction identifiers</a>
 */
public final class TransactionIds {
    private static final Duration KEEP_FOR = Duration.ofMinutes(30);

    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Linearizer perKey = new Linearizer("transaction-ids");

    /** What the transaction produced: an event id, or whatever {@link #once} stored. */
    private record Entry(Object result, long storedAtMs) {}

    public TransactionIds(Clock clock) {
        this.clock = clock;
    }

    /**
     * The event of an earlier identical transaction, or the result of {@code send}. Concurrent
     * retries of one transaction run {@code send} once.
     */
    public EventId sendOnce(String scope, String path, String txnId, Supplier<EventId> send) {
        return once(scope, path, txnId, send);
    }

    /**
     * The result of an earlier identical transaction, or of {@code action}, run once however often
     * and concurrently the client retries. One {@code path} must always produce one result type.
     */
    @SuppressWarnings("unchecked")
    public <T> T once(String scope, String path, String txnId, Supplier<T> action) {
        expire();
        String key = scope + "\n" + path + "\n" + txnId;
        try (Linearizer.Permit ignored = perKey.acquire(key)) {
            Entry existing = entries.get(key);
            if (existing != null) {
                return (T) existing.result();
            }
            T result = action.get();
            entries.put(key, new Entry(result, clock.nowMillis()));
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for a concurrent retry of " + txnId, e);
        }
    }

    public Optional<EventId> lookup(String scope, String path, String txnId) {
        return Optional.ofNullable(entries.get(scope + "\n" + path + "\n" + txnId)).map(e -> (EventId) e.result());
    }

    private void expire() {
        long cutoff = clock.nowMillis() - KEEP_FOR.toMillis();
        entries.values().removeIf(e -> e.storedAtMs() < cutoff);
    }
}
