package dev.myelin.federation.sender;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.Clock;
import dev.myelin.federation.backoff.DestinationAttempt;
import dev.myelin.federation.backoff.DestinationBackoff;
import dev.myelin.federation.backoff.DestinationInBackoffException;
import dev.myelin.federation.client.FederationDeniedException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One destination's queue and the virtual thread that sends it, one transaction at a time. */
final class DestinationQueue {
    private static final Logger LOG = LoggerFactory.getLogger(DestinationQueue.class);

    private final ServerName origin;
    private final ServerName destination;
    private final OutboxRepository outbox;
    private final DestinationBackoff backoff;
    private final TransactionTransport transport;
    private final Clock clock;
    private final TransactionOutcomes outcomes;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Units not yet delivered, by position; the in-flight transaction's are at the front. */
    private final List<QueuedUnit> pending;

    private long nextPosition;
    private long transactions;
    private @Nullable Transaction inFlight;
    private @Nullable Thread sender;
    private boolean waitingForRetry;
    private boolean stopped;

    /** A transaction being sent or waiting to be sent again: its id and content never change. */
    private record Transaction(String id, ObjectNode body, Set<Long> positions) {}

    DestinationQueue(
            ServerName origin,
            ServerName destination,
            OutboxRepository outbox,
            DestinationBackoff backoff,
            TransactionTransport transport,
            Clock clock,
            TransactionOutcomes outcomes) {
        this.outcomes = outcomes;
        this.origin = origin;
        this.destination = destination;
        this.outbox = outbox;
        this.backoff = backoff;
        this.transport = transport;
        this.clock = clock;
        this.pending = new ArrayList<>(outbox.entries(destination));
        this.nextPosition =
                pending.stream().mapToLong(QueuedUnit::position).max().orElse(0) + 1;
    }

    void add(QueuedUnit.Kind kind, @Nullable String roomId, ObjectNode json) {
        lock.lock();
        try {
            QueuedUnit unit = new QueuedUnit(nextPosition++, kind, Optional.ofNullable(roomId), json.deepCopy());
            outbox.append(destination, unit);
            pending.add(unit);
            wakeLocked();
        } finally {
            lock.unlock();
        }
    }

    void wake() {
        lock.lock();
        try {
            wakeLocked();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the wait for the destination's retry time, when the queue is waiting for it: the
     * destination was seen up. A transaction being sent is left alone.
     */
    void retryNow() {
        lock.lock();
        try {
            if (waitingForRetry && sender != null) {
                // the sender thread ends on the interrupt and a new one starts at once, as units wait
                sender.interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    private void setWaitingForRetry(boolean waiting) {
        lock.lock();
        try {
            waitingForRetry = waiting;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    private void wakeLocked() {
        if (stopped) {
            return;
        }
        if (sender == null && !pending.isEmpty()) {
            sender = Thread.ofVirtual().name("federation-sender-" + destination).start(this::run);
        }
        changed.signalAll();
    }

    void stop() {
        Thread thread;
        lock.lock();
        try {
            stopped = true;
            thread = sender;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run() {
        try {
            while (true) {
                Transaction transaction = nextTransaction();
                if (transaction == null) {
                    return;
                }
                Optional<Instant> retryAt = backoff.retryAt(destination);
                if (retryAt.isPresent()) {
                    setWaitingForRetry(true);
                    try {
                        clock.sleep(Duration.between(clock.now(), retryAt.get()));
                    } finally {
                        setWaitingForRetry(false);
                    }
                    // a wake that came as the wait ended anyway has nothing left to interrupt
                    Thread.interrupted();
                    continue;
                }
                attempt(transaction);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.lock();
            try {
                sender = null;
                // a unit added while this thread was finishing starts the next one
                if (!stopped && !pending.isEmpty()) {
                    wakeLocked();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** The transaction to send now: the one that failed, else a new one; null when there is nothing. */
    private @Nullable Transaction nextTransaction() {
        lock.lock();
        try {
            if (stopped || pending.isEmpty()) {
                return null;
            }
            if (inFlight == null) {
                inFlight = newTransaction();
            }
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    private Transaction newTransaction() {
        ArrayNode pdus = JsonNodeFactory.instance.arrayNode();
        ArrayNode edus = JsonNodeFactory.instance.arrayNode();
        Set<Long> positions = new HashSet<>();
        for (QueuedUnit unit : pending) {
            if (unit.kind() == QueuedUnit.Kind.PDU && pdus.size() < TransactionSender.MAX_PDUS) {
                pdus.add(unit.json());
                positions.add(unit.position());
            } else if (unit.kind() == QueuedUnit.Kind.EDU && edus.size() < TransactionSender.MAX_EDUS) {
                edus.add(unit.json());
                positions.add(unit.position());
            }
        }
        long now = clock.nowMillis();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("origin", origin.toString());
        body.put("origin_server_ts", now);
        body.set("pdus", pdus);
        if (!edus.isEmpty()) {
            body.set("edus", edus);
        }
        // unique across restarts: the time the transaction was made, then a counter
        return new Transaction(now + "." + ++transactions, body, Set.copyOf(positions));
    }

    private void attempt(Transaction transaction) {
        DestinationAttempt attempt;
        try {
            attempt = backoff.begin(destination);
        } catch (DestinationInBackoffException e) {
            return; // the loop waits for the retry time
        }
        int status;
        try {
            status = transport.send(destination, transaction.id(), transaction.body());
        } catch (FederationDeniedException e) {
            // the whitelist changed since it was queued (a restart with a new config)
            LOG.info("transaction {} to {} dropped: {}", transaction.id(), destination, e.getMessage());
            outcomes.record(TransactionOutcomes.Outcome.DENIED);
            finish(transaction);
            return;
        } catch (RuntimeException e) {
            LOG.info("transaction {} to {} failed: {}", transaction.id(), destination, e.getMessage());
            attempt.failed();
            outcomes.record(TransactionOutcomes.Outcome.FAILED);
            catchUp();
            return;
        }
        if (status / 100 == 2) {
            attempt.succeeded();
            outcomes.record(TransactionOutcomes.Outcome.SENT);
            finish(transaction);
            return;
        }
        attempt.answeredWithError(status);
        if (status == 401 || status == 429 || status >= 500) {
            LOG.info("transaction {} to {} answered {}; it will be sent again", transaction.id(), destination, status);
            outcomes.record(TransactionOutcomes.Outcome.RETRY);
            catchUp();
        } else {
            LOG.warn("transaction {} to {} answered {}; dropped", transaction.id(), destination, status);
            outcomes.record(TransactionOutcomes.Outcome.REFUSED);
            finish(transaction);
        }
    }

    /** The transaction is done with (delivered or refused for good): its units leave the queue. */
    private void finish(Transaction transaction) {
        outbox.remove(destination, transaction.positions());
        lock.lock();
        try {
            pending.removeIf(u -> transaction.positions().contains(u.position()));
            inFlight = null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * While the destination is failing, only the latest PDU of each room is worth sending after
     * the transaction that failed: the destination fetches the ones in between when it sees it.
     */
    private void catchUp() {
        Set<Long> superseded = new HashSet<>();
        lock.lock();
        try {
            Set<Long> held = inFlight == null ? Set.of() : inFlight.positions();
            Map<String, QueuedUnit> latest = new HashMap<>();
            for (QueuedUnit unit : pending) {
                if (unit.kind() != QueuedUnit.Kind.PDU || held.contains(unit.position())) {
                    continue;
                }
                QueuedUnit earlier = latest.put(unit.roomId().orElse(""), unit);
                if (earlier != null) {
                    superseded.add(earlier.position());
                }
            }
            pending.removeIf(u -> superseded.contains(u.position()));
        } finally {
            lock.unlock();
        }
        outbox.remove(destination, superseded);
    }
}
