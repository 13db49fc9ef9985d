package dev.myelin.server.handler.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.receipt.ReceiptStore;
import dev.myelin.storage.state.StateStore;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Read receipts and the fully-read marker. {@code m.read} receipts are seen by every member of
 * the room, {@code m.read.private} only by their owner; {@code m.fully_read} is not a receipt but
 * the room account data of that type, which only the server may set.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#receipts">Receipts</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#fully-read-markers">Fully read markers</a>
 */
public final class ReceiptHandler {
    public static final String READ = "m.read";
    public static final String READ_PRIVATE = "m.read.private";
    public static final String FULLY_READ = "m.fully_read";
    private static final Set<String> TYPES = Set.of(READ, READ_PRIVATE, FULLY_READ);

    private final StateStore state;
    private final EventStore events;
    private final AccountDataStore accountData;
    private final ReceiptStore receiptStore;
    private final Clock clock;
    private final Notifier notifier;
    private final List<ReadReceiptListener> readListeners = new CopyOnWriteArrayList<>();
    private final List<PublicReceiptListener> publicListeners = new CopyOnWriteArrayList<>();

    public ReceiptHandler(
            StateStore state,
            EventStore events,
            AccountDataStore accountData,
            ReceiptStore receiptStore,
            Clock clock,
            Notifier notifier) {
        this.state = state;
        this.events = events;
        this.accountData = accountData;
        this.receiptStore = receiptStore;
        this.clock = clock;
        this.notifier = notifier;
    }

    /** Adds a listener told of every read receipt that is set; for start-up. */
    public void addReadReceiptListener(ReadReceiptListener listener) {
        readListeners.add(listener);
    }

    /** Adds a listener told of every public receipt ({@code m.read}) a local user sets; for start-up. */
    public void addPublicReceiptListener(PublicReceiptListener listener) {
        publicListeners.add(listener);
    }

    /**
     * Stores a public receipt ({@code m.read}) that another server reports for one of its users,
     * who must be joined to {@code room}, for an event of the room known here; otherwise nothing
     * changes. Listeners do not hear of it.
     *
     * @param data the receipt's data as sent ({@code ts}, {@code thread_id})
     * @return whether it was stored
     */
    public boolean setRemote(RoomId room, UserId user, EventId event, ObjectNode data) {
        if (!state.joinedMembers(room).contains(user)) {
            return false;
        }
        Optional<StoredEvent> target = events.get(event);
        if (target.isEmpty() || !target.get().pdu().roomId().equals(room)) {
            return false;
        }
        JsonNode thread = data.path("thread_id");
        String threadId = thread.isTextual() && !thread.asText().isEmpty() ? thread.asText() : null;
        if (threadId == null && behindCurrent(room, READ, user, target.get())) {
            return false;
        }
        receiptStore.put(room, READ, user, threadId, event, data);
        notifier.wakeRoom(room);
        return true;
    }

    /**
     * Whether the user's unthreaded receipt of {@code type} already names a later event than
     * {@code target}: receipts only move forwards, so a stale or reordered request (a client that
     * sends receipts as it renders older events) is accepted and dropped, as Synapse does.
     */
    private boolean behindCurrent(RoomId room, String type, UserId user, StoredEvent target) {
        return receiptStore
                .get(room, type, user)
                .flatMap(current -> events.get(current.eventId()))
                .filter(current -> current.streamOrdering() > target.streamOrdering())
                .isPresent();
    }

    /** Whether {@code type} is a receipt type (or the fully-read marker) this server accepts. */
    public static boolean isKnownType(String type) {
        return TYPES.contains(type);
    }

    /** 403 {@code M_FORBIDDEN} unless {@code user} is joined to {@code room}, which also covers a room that does not exist. */
    public void requireJoined(RoomId room, UserId user) {
        if (!state.joinedMembers(room).contains(user)) {
            throw MatrixException.forbidden("You are not joined to " + room);
        }
    }

    /**
     * Sets {@code user}'s receipt (or fully-read marker) of {@code type} in {@code room} to
     * {@code event}. 403 unless joined, 404 for an event not in the room, 400 for a thread id on the
     * fully-read marker. An unthreaded receipt for an event before the one the user's receipt
     * names already is ignored.
     */
    public void set(RoomId room, UserId user, String type, EventId event, Optional<String> threadId) {
        if (!isKnownType(type)) {
            throw MatrixException.invalidParam(
                    "receiptType", "must be one of " + TYPES.stream().sorted().toList());
        }
        if (threadId.isPresent() && (threadId.get().isEmpty() || type.equals(FULLY_READ))) {
            throw MatrixException.invalidParam(
                    "thread_id",
                    type.equals(FULLY_READ) ? "is not allowed for m.fully_read" : "must be a non-empty string");
        }
        requireJoined(room, user);
        Optional<StoredEvent> target = events.get(event);
        if (target.isEmpty() || !target.get().pdu().roomId().equals(room)) {
            throw MatrixException.notFound("Unknown event " + event + " in " + room);
        }
        if (type.equals(FULLY_READ)) {
            accountData.putForRoom(
                    user,
                    room,
                    FULLY_READ,
                    JsonNodeFactory.instance.objectNode().put("event_id", event.value()));
            notifier.wakeUser(user);
            return;
        }
        if (threadId.isEmpty() && behindCurrent(room, type, user, target.get())) {
            return;
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("ts", clock.nowMillis());
        threadId.ifPresent(t -> data.put("thread_id", t));
        receiptStore.put(room, type, user, threadId.orElse(null), event, data);
        if (type.equals(READ_PRIVATE)) {
            notifier.wakeUser(user);
        } else {
            notifier.wakeRoom(room);
        }
        readListeners.forEach(l -> l.onReadReceipt(room, user));
        if (type.equals(READ)) {
            publicListeners.forEach(l -> l.onPublicReceipt(room, user, event, data));
        }
    }
}
