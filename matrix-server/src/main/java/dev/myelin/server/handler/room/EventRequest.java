package dev.myelin.server.handler.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.event.ClientTransaction;
import java.util.Optional;

/**
 * An event a local user wants to send: what the client chose. Ids, edges, auth events, depth,
 * hashes and signatures are added by {@link EventCreator}.
 *
 * @param transaction the client transaction the event is sent in, if any: persisted with the event, so
 *     a retry finds it (see {@link TransactionIds})
 * @param originServerTs the event's {@code origin_server_ts} when the sender chose it (an
 *     application service's timestamp massaging); the clock's time otherwise
 */
public record EventRequest(
        RoomId roomId,
        UserId sender,
        String type,
        Optional<String> stateKey,
        ObjectNode content,
        Optional<EventId> redacts,
        Optional<ClientTransaction> transaction,
        Optional<Long> originServerTs) {

    public EventRequest(
            RoomId roomId,
            UserId sender,
            String type,
            Optional<String> stateKey,
            ObjectNode content,
            Optional<EventId> redacts,
            Optional<ClientTransaction> transaction) {
        this(roomId, sender, type, stateKey, content, redacts, transaction, Optional.empty());
    }

    public EventRequest(
            RoomId roomId,
            UserId sender,
            String type,
            Optional<String> stateKey,
            ObjectNode content,
            Optional<EventId> redacts) {
        this(roomId, sender, type, stateKey, content, redacts, Optional.empty(), Optional.empty());
    }

    public static EventRequest message(RoomId room, UserId sender, String type, ObjectNode content) {
        return new EventRequest(room, sender, type, Optional.empty(), content, Optional.empty());
    }

    public static EventRequest state(RoomId room, UserId sender, String type, String stateKey, ObjectNode content) {
        return new EventRequest(room, sender, type, Optional.of(stateKey), content, Optional.empty());
    }

    /** This request, sent in client transaction {@code txn}. */
    public EventRequest inTransaction(ClientTransaction txn) {
        return new EventRequest(roomId, sender, type, stateKey, content, redacts, Optional.of(txn), originServerTs);
    }

    /** This request, with {@code origin_server_ts} {@code ts} when given rather than the clock's time. */
    public EventRequest withOriginServerTs(Optional<Long> ts) {
        return new EventRequest(roomId, sender, type, stateKey, content, redacts, transaction, ts);
    }
}
