package dev.myelin.server.handler.room;

import dev.myelin.core.concurrent.Linearizer;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.storage.event.ClientTransaction;
import dev.myelin.storage.event.ClientTransactionStore;
import dev.myelin.storage.event.EventTxnIdStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Makes client transactions idempotent: a retried {@code PUT .../send/{type}/{txnId}} (or redact,
 * or sendToDevice) returns what the first attempt did instead of acting twice, also after a
 * restart or a crash. Scoped to the access token's device (or the token itself for device-less
 * tokens), as the spec requires, and to the endpoint.
 *
 * <p>The database is the truth: the action is handed its {@link ClientTransaction}, and whatever
 * stores its outcome (the event persister, the to-device inbox) records the transaction in the
 * same database transaction, so the outcome and its record are stored together or not at all. A
 * transaction is remembered for {@link ClientTransactionStore#LIFETIME}. Recent ones are also held
 * here, which spares a retry the database read; concurrent retries of one transaction in this
 * process run the action once.
 *
 * <p>The event a device sent is also recorded with its transaction id in the
 * {@link EventTxnIdStore}, for a day, so that device is served it as {@code unsigned.transaction_id}
 * (see {@link ClientEvents}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#transaction-identifiers">Transaction identifiers</a>
 */
public final class TransactionIds {
    /** How long a transaction's outcome is held in memory; the database holds it longer. */
    private static final Duration KEEP_IN_MEMORY_FOR = Duration.ofMinutes(30);
    /** How long the sending device is served the transaction id of its events. */
    static final Duration SERVE_TXN_ID_FOR = Duration.ofDays(1);

    private static final Duration PRUNE_EVERY = Duration.ofHours(1);
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private final Clock clock;
    private final EventTxnIdStore sentWith;
    private final ClientTransactionStore durable;
    private final AtomicLong lastPruneMs = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong lastSweepMs = new AtomicLong(Long.MIN_VALUE);
    private final Map<String, Entry> recent = new ConcurrentHashMap<>();
    private final Linearizer perKey = new Linearizer("transaction-ids");

    /** What a transaction produced: an event id, or an empty string for to-device messages. */
    private record Entry(String outcome, long storedAtMs) {}

    public TransactionIds(Clock clock, EventTxnIdStore sentWith, ClientTransactionStore durable) {
        this.clock = clock;
        this.sentWith = sentWith;
        this.durable = durable;
    }

    /**
     * The event of an earlier identical transaction, or the one {@code send} creates. {@code send}
     * must persist its event with the transaction it is given (see
     * {@link EventRequest#inTransaction}); the persister then records both together, and the
     * sending device's transaction id with them.
     *
     * @param scope the sender's device (or access token), which transaction ids are unique within
     * @param endpoint what was called, e.g. {@code send/<room>/<type>}: one id may be reused per endpoint
     */
    public EventId sendOnce(
            String scope,
            String endpoint,
            String txnId,
            UserId user,
            Optional<DeviceId> device,
            Function<ClientTransaction, EventId> send) {
        return new EventId(once(
                scope, endpoint, txnId, user, device, txn -> send.apply(txn).value()));
    }

    /**
     * Runs {@code deliver} unless an identical transaction already did. {@code deliver} must store
     * the transaction with whatever it writes, in the same database transaction.
     */
    public void deliverOnce(
            String scope,
            String endpoint,
            String txnId,
            UserId user,
            Optional<DeviceId> device,
            Consumer<ClientTransaction> deliver) {
        once(scope, endpoint, txnId, user, device, txn -> {
            deliver.accept(txn);
            return "";
        });
    }

    private String once(
            String scope,
            String endpoint,
            String txnId,
            UserId user,
            Optional<DeviceId> device,
            Function<ClientTransaction, String> action) {
        expire();
        ClientTransaction txn = ClientTransaction.of(scope, endpoint, txnId, user, device, clock.nowMillis());
        try (Linearizer.Permit ignored = perKey.acquire(txn.key())) {
            Entry held = recent.get(txn.key());
            if (held != null && held.storedAtMs() >= clock.nowMillis() - KEEP_IN_MEMORY_FOR.toMillis()) {
                return held.outcome();
            }
            String outcome = durable.find(txn.key(), clock.nowMillis()).orElseGet(() -> action.apply(txn));
            recent.put(txn.key(), new Entry(outcome, clock.nowMillis()));
            return outcome;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for a concurrent retry of " + txnId, e);
        }
    }

    /**
     * Drops old transactions from memory at most once a minute: a sweep of the whole map on every
     * send made each send slower as transactions piled up (it showed as a fifth of the send
     * profile). Lookups ignore entries past their lifetime, so the sweep only frees memory. The
     * database rows past their lifetime go once an hour.
     */
    private void expire() {
        long now = clock.nowMillis();
        long lastSweep = lastSweepMs.get();
        if ((lastSweep == Long.MIN_VALUE || now - lastSweep >= SWEEP_EVERY.toMillis())
                && lastSweepMs.compareAndSet(lastSweep, now)) {
            long cutoff = now - KEEP_IN_MEMORY_FOR.toMillis();
            recent.values().removeIf(e -> e.storedAtMs() < cutoff);
        }
        long last = lastPruneMs.get();
        if ((last == Long.MIN_VALUE || now - last >= PRUNE_EVERY.toMillis()) && lastPruneMs.compareAndSet(last, now)) {
            sentWith.deleteBefore(now - SERVE_TXN_ID_FOR.toMillis());
            durable.deleteExpired(now);
        }
    }
}
