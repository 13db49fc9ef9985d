package dev.myelin.federation.sender;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.Clock;
import dev.myelin.federation.backoff.DestinationBackoff;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The outgoing transaction queue: PDUs and EDUs for other servers, delivered in
 * {@code PUT /_matrix/federation/v1/send/{txnId}} transactions of at most {@value #MAX_PDUS} PDUs
 * and {@value #MAX_EDUS} EDUs.
 *
 * <p>Each destination has one sender (a virtual thread) and at most one transaction in flight. A
 * transaction that fails is sent again, with the same id and content, once the destination's
 * {@linkplain DestinationBackoff backoff} allows; what was queued after it follows in order. Every
 * unit is written to the {@link OutboxRepository} before it is queued and removed when the
 * destination accepted its transaction, so {@link #start()} after a restart sends what was not
 * delivered. While a destination is failing, its queue keeps only the latest PDU of each room
 * (catch-up: the destination fetches the events in between with {@code get_missing_events}).
 *
 * <p>A 2xx answer delivers the transaction (per-PDU errors in it are the destination's to act on);
 * 401, 429 and 5xx, or no answer, count as failures; any other status drops the transaction, which
 * the destination will never accept as it is.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#transactions">Transactions</a>
 */
public final class TransactionSender implements AutoCloseable {
    /** The most PDUs in one transaction, as the spec allows. */
    public static final int MAX_PDUS = 50;
    /** The most EDUs in one transaction, as the spec allows. */
    public static final int MAX_EDUS = 100;

    private final ServerName origin;
    private final OutboxRepository outbox;
    private final DestinationBackoff backoff;
    private final TransactionTransport transport;
    private final Clock clock;
    private final Map<ServerName, DestinationQueue> queues = new ConcurrentHashMap<>();
    private final TransactionOutcomes outcomes = new TransactionOutcomes();
    private volatile boolean closed;
    private volatile Predicate<ServerName> sendsHere = destination -> true;
    private volatile HandOff handOff;

    /**
     * Where units go whose destination another process of this homeserver sends to (see {@link
     * #shard}): that process queues them with {@link #sendPdu}/{@link #sendEdu}.
     */
    public interface HandOff {
        void send(ServerName destination, QueuedUnit.Kind kind, @Nullable String roomId, ObjectNode json);
    }

    /**
     * Shares the destinations with other processes of this homeserver: this one queues and sends
     * only to those {@code sendsHere} accepts, and hands the others' units to {@code handOff}. Called
     * before {@link #start()}.
     */
    public void shard(Predicate<ServerName> sendsHere, HandOff handOff) {
        this.sendsHere = Objects.requireNonNull(sendsHere, "sendsHere");
        this.handOff = Objects.requireNonNull(handOff, "handOff");
    }

    /** Whether this process sends to {@code destination} (always, unless {@link #shard sharded}). */
    public boolean sendsTo(ServerName destination) {
        return sendsHere.test(destination);
    }

    /**
     * Creates the sender; nothing is sent until units are queued or {@link #start()} resumes.
     *
     * @param origin this server's name, the transactions' {@code origin}
     * @param outbox where queues are kept
     * @param backoff when each destination may be tried
     * @param transport sends a transaction
     * @param clock the time of transactions and of the waits between attempts
     */
    public TransactionSender(
            ServerName origin,
            OutboxRepository outbox,
            DestinationBackoff backoff,
            TransactionTransport transport,
            Clock clock) {
        this.origin = Objects.requireNonNull(origin, "origin");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Resumes sending to every destination with units left in the outbox. */
    public void start() {
        for (ServerName destination : outbox.destinations()) {
            if (sendsHere.test(destination)) {
                queue(destination).wake();
            }
        }
    }

    /** Queues a PDU of {@code roomId} for {@code destination}. */
    public void sendPdu(ServerName destination, String roomId, ObjectNode pdu) {
        if (!sendsHere.test(destination)) {
            handOff.send(destination, QueuedUnit.Kind.PDU, roomId, pdu);
            return;
        }
        queue(destination).add(QueuedUnit.Kind.PDU, roomId, pdu);
    }

    /** Queues an EDU for {@code destination}. */
    public void sendEdu(ServerName destination, ObjectNode edu) {
        if (!sendsHere.test(destination)) {
            handOff.send(destination, QueuedUnit.Kind.EDU, null, edu);
            return;
        }
        queue(destination).add(QueuedUnit.Kind.EDU, null, edu);
    }

    /**
     * {@code destination} was seen up (it sent this server a signed request): its backoff ends and
     * units waiting for it are sent now rather than when the retry interval ends, as Synapse does.
     */
    public void destinationSeenUp(ServerName destination) {
        if (backoff.seenUp(destination)) {
            DestinationQueue queue = queues.get(destination);
            if (queue != null) {
                queue.retryNow();
            }
        }
    }

    /** How this process's transactions ended so far (metrics). */
    public TransactionOutcomes outcomes() {
        return outcomes;
    }

    /** How many units are waiting for {@code destination} (those in flight included). */
    public int pending(ServerName destination) {
        DestinationQueue queue = queues.get(destination);
        return queue == null ? outbox.entries(destination).size() : queue.size();
    }

    private DestinationQueue queue(ServerName destination) {
        if (closed) {
            throw new IllegalStateException("the transaction sender is closed");
        }
        if (destination.equals(origin)) {
            throw new IllegalArgumentException("a server does not send transactions to itself");
        }
        return queues.computeIfAbsent(
                destination, d -> new DestinationQueue(origin, d, outbox, backoff, transport, clock, outcomes));
    }

    /** Stops every destination's sender; what is queued stays in the outbox. */
    @Override
    public void close() {
        closed = true;
        queues.values().forEach(DestinationQueue::stop);
    }
}
