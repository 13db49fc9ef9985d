package dev.myelin.server.handler.appservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.server.config.AppServiceRegistration;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.storage.appservice.AppServicePositionStore;
import dev.myelin.storage.appservice.AppServicePositionStore.Pending;
import dev.myelin.storage.appservice.AppServicePositionStore.Position;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one application service is sent, by a virtual thread of its own: the events of interest
 * after its stored position, in stream order, at most {@link #MAX_EVENTS} a transaction, with
 * the ephemeral events (typing, receipts, presence) gathered meanwhile. One transaction is in
 * flight at a time, stored before it is first sent; a service that fails (no answer, or a status
 * other than 2xx) is sent the same transaction again, with the same id and content, after a backoff on the {@link Clock} that doubles from
 * {@link #FIRST_RETRY} up to {@link #LONGEST_RETRY}. The position moves only when the service
 * acknowledged, so events sent while it was down reach it, in order, when it is back, also after
 * a restart of the homeserver. Ephemeral events live in memory only: at most {@link
 * #MAX_EPHEMERAL} wait, the oldest are dropped first.
 *
 * @see <a href="https://spec.matrix.org/v1.19/application-service-api/#pushing-events">Pushing events</a>
 */
final class AppServiceQueue {
    private static final Logger LOG = LoggerFactory.getLogger(AppServiceQueue.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LONGEST_RETRY = Duration.ofMinutes(5);
    static final int MAX_EVENTS = 100;
    static final int MAX_EPHEMERAL = 100;
    /**
     * How often the queue looks for events that no wake announced: those another process of this
     * homeserver persisted. A real-time poll, not a behaviour of the homeserver's clock.
     */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final AppServiceRegistration service;
    private final AppServiceClient client;
    private final EventStore events;
    private final AppServiceInterest interest;
    private final ClientEvents clientEvents;
    private final ClientEvents.Viewer viewer;
    private final AppServicePositionStore positions;
    private final AppServiceQueries queries;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private final Deque<ObjectNode> ephemeral = new ArrayDeque<>();
    private boolean woken;
    private volatile boolean closed;
    private Thread thread;

    AppServiceQueue(
            AppServiceRegistration service,
            AppServiceClient client,
            EventStore events,
            AppServiceInterest interest,
            ClientEvents clientEvents,
            ClientEvents.Viewer viewer,
            AppServicePositionStore positions,
            AppServiceQueries queries,
            Clock clock) {
        this.service = service;
        this.client = client;
        this.events = events;
        this.interest = interest;
        this.clientEvents = clientEvents;
        this.viewer = viewer;
        this.positions = positions;
        this.queries = queries;
        this.clock = clock;
    }

    AppServiceRegistration service() {
        return service;
    }

    /** Starts sending: from the stored position, or from now for a service never seen before. */
    void start() {
        lock.lock();
        try {
            thread = Thread.ofVirtual().name("appservice-" + service.id()).start(this::run);
        } finally {
            lock.unlock();
        }
    }

    /** Something may be waiting: look now rather than at the next poll. */
    void wake() {
        lock.lock();
        try {
            woken = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Queues an ephemeral event for the next transaction. */
    void offerEphemeral(ObjectNode event) {
        lock.lock();
        try {
            if (ephemeral.size() >= MAX_EPHEMERAL) {
                ephemeral.removeFirst();
            }
            ephemeral.addLast(event);
            woken = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void close() {
        closed = true;
        Thread running;
        lock.lock();
        try {
            running = thread;
        } finally {
            lock.unlock();
        }
        if (running != null) {
            running.interrupt();
        }
    }

    private void run() {
        try {
            AppServicePositionStore.State state = positions.get(service.id()).orElseGet(() -> {
                Position now = new Position(events.currentPosition(), 0);
                positions.set(service.id(), now);
                return new AppServicePositionStore.State(now, Optional.empty());
            });
            Position position = state.position();
            // a transaction in flight when the process stopped goes again as it was
            Pending pending = state.pending().orElse(null);
            Duration retry = FIRST_RETRY;
            while (!closed) {
                if (pending == null) {
                    clearWoken();
                    List<StoredEvent> scanned = scan(position);
                    long upTo = scanned.isEmpty()
                            ? position.streamOrdering()
                            : scanned.getLast().streamOrdering();
                    Optional<JsonNode> body = body(scanned);
                    if (body.isEmpty()) {
                        if (upTo > position.streamOrdering()) {
                            position = new Position(upTo, position.lastTxnId());
                            positions.set(service.id(), position);
                        } else {
                            awaitWake();
                        }
                        continue;
                    }
                    pending = new Pending(
                            position.lastTxnId() + 1, upTo, body.get().toString());
                    positions.setPending(service.id(), pending);
                }
                if (send(pending)) {
                    position = new Position(pending.upTo(), pending.txnId());
                    positions.set(service.id(), position);
                    pending = null;
                    retry = FIRST_RETRY;
                } else {
                    clock.sleep(retry);
                    retry = retry.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : retry.multipliedBy(2);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.error("application service {}: sending stopped", service.id(), e);
            }
        }
    }

    private List<StoredEvent> scan(Position position) {
        if (events.currentPosition() <= position.streamOrdering()) {
            return List.of();
        }
        return events.eventsAfter(position.streamOrdering(), MAX_EVENTS);
    }

    /** The body of the next transaction: the events of interest among {@code scanned} and the ephemeral ones. */
    private Optional<JsonNode> body(List<StoredEvent> scanned) {
        List<StoredEvent> chosen = new ArrayList<>();
        Map<RoomId, Boolean> rooms = new HashMap<>();
        for (StoredEvent event : scanned) {
            if (interest.isInterested(service, event.pdu(), rooms)) {
                chosen.add(event);
            }
        }
        List<ObjectNode> ephemeralEvents = drainEphemeral();
        if (chosen.isEmpty() && ephemeralEvents.isEmpty()) {
            return Optional.empty();
        }
        // a user invited or joined that nobody registered yet may be one the service makes on demand
        for (StoredEvent event : chosen) {
            if (event.pdu().type().equals("m.room.member")) {
                event.pdu().stateKey().ifPresent(queries::userExists);
            }
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("events", clientEvents.formatAll(chosen, viewer));
        if (!ephemeralEvents.isEmpty()) {
            ArrayNode list = body.putArray("ephemeral");
            ephemeralEvents.forEach(list::add);
            // the name bridges read before the field was stable (MSC2409)
            body.set("de.sorunome.msc2409.ephemeral", list.deepCopy());
        }
        return Optional.of(body);
    }

    private boolean send(Pending batch) {
        try {
            AppServiceClient.Answer answer = client.pushTransaction(service, batch.txnId(), batch.body());
            if (answer.ok()) {
                return true;
            }
            LOG.warn(
                    "application service {} answered transaction {} with HTTP {}",
                    service.id(),
                    batch.txnId(),
                    answer.status());
        } catch (OutboundHttpException e) {
            LOG.warn(
                    "application service {} is unreachable (transaction {}): {}",
                    service.id(),
                    batch.txnId(),
                    e.getMessage());
        }
        return false;
    }

    private List<ObjectNode> drainEphemeral() {
        lock.lock();
        try {
            List<ObjectNode> out = new ArrayList<>(ephemeral);
            ephemeral.clear();
            return out;
        } finally {
            lock.unlock();
        }
    }

    private void clearWoken() {
        lock.lock();
        try {
            woken = false;
        } finally {
            lock.unlock();
        }
    }

    private void awaitWake() throws InterruptedException {
        lock.lock();
        try {
            if (!woken && !closed) {
                wakeUp.awaitNanos(POLL_NANOS);
            }
        } finally {
            lock.unlock();
        }
    }
}
