package dev.myelin.server.handler.room;

import dev.myelin.core.concurrent.Linearizer;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.storage.event.EventTxnIdStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Remembers which event a client transaction id produced, so a retried
 * {@code PUT .../send/{type}/{txnId}} returns the same event instead of sending twice. Scoped to
 * the access token's device (or the token itself for device-less tokens), as the spec requires.
 *
 * <p>The event a device sent is also recorded with its transaction id in the
 * {@link EventTxnIdStore}, for a day, so that device is served it as {@code unsigned.transaction_id}
 * (see {@link ClientEvents}). That record is persisted rather than kept here because it must survive
 * a restart: a client whose send raced a restart still needs to match its local echo.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#transaction-identifiers">Transaction identifiers</a>
 */
public final class TransactionIds {
    private static final Duration KEEP_FOR = Duration.ofMinutes(30);
    /** How long the sending device is served the transaction id of its events. */
    static final Duration SERVE_TXN_ID_FOR = Duration.ofDays(1);
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final Clock clock;
    private final EventTxnIdStore sentWith;
    private final AtomicLong lastPruneMs = new AtomicLong(Long.MIN_VALUE);
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Linearizer perKey = new Linearizer("transaction-ids");
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
    private final AtomicLong lastSweepMs = new AtomicLong(Long.MIN_VALUE);

    /** What the transaction produced: an event id, or whatever {@link #once} stored. */
    private record Entry(Object result, long storedAtMs) {}

    public TransactionIds(Clock clock, EventTxnIdStore sentWith) {
        this.clock = clock;
        this.sentWith = sentWith;
    }

    /**
     * The event of an earlier identical transaction, or the result of {@code send}. Concurrent
     * retries of one transaction run {@code send} once. A new event is recorded as sent by
     * {@code device} of {@code user} (device-less tokens record nothing).
     */
    public EventId sendOnce(String scope, String path, String txnId, UserId user, Optional<DeviceId> device,
            Supplier<EventId> send) {
        return once(scope, path, txnId, () -> {
            EventId sent = send.get();
            device.ifPresent(d -> sentWith.record(sent, user, d, txnId, clock.nowMillis()));
            return sent;
        });
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
            if (existing != null && existing.storedAtMs() >= clock.nowMillis() - KEEP_FOR.toMillis()) {
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

    /**
     * Drops old transactions at most once a minute: a sweep of the whole map on every send made
     * each send slower as transactions piled up (it showed as a fifth of the send profile). Lookups
     * ignore entries past their lifetime, so the sweep only frees memory.
     */
    private void expire() {
        long now = clock.nowMillis();
        long lastSweep = lastSweepMs.get();
        if ((lastSweep == Long.MIN_VALUE || now - lastSweep >= SWEEP_EVERY.toMillis())
                && lastSweepMs.compareAndSet(lastSweep, now)) {
            long cutoff = now - KEEP_FOR.toMillis();
            entries.values().removeIf(e -> e.storedAtMs() < cutoff);
        }
        long last = lastPruneMs.get();
        if ((last == Long.MIN_VALUE || now - last >= PRUNE_EVERY.toMillis()) && lastPruneMs.compareAndSet(last, now)) {
            sentWith.deleteBefore(now - SERVE_TXN_ID_FOR.toMillis());
        }
    }
}
