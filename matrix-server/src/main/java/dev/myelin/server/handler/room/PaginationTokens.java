package dev.myelin.server.handler.room;

import dev.myelin.core.id.RoomId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.sync.SyncToken;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.RoomPosition;
import dev.myelin.storage.event.StoredEvent;
import java.util.List;

/**
 * Reads the tokens that name a point in a room's timeline: the room's own pagination tokens
 * ({@link RoomTokens}) and the {@code next_batch}/{@code since} tokens of {@code /sync}
 * ({@link SyncToken}), which the spec lets clients pass to {@code /messages} {@code from}/{@code to},
 * {@code /members} {@code at} and {@code /relations} {@code from}/{@code to}.
 *
 * <p>A sync token is a position on the events stream, shared by every room; in one room it names the
 * point just after the room's last event at or before that position (before all of them when there
 * is none).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidmessages">/messages</a>
 */
public final class PaginationTokens {
    private final EventStore eventStore;

    public PaginationTokens(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /** The point in {@code room} that {@code token} names; 400 {@code M_INVALID_PARAM} for a token this server did not issue. */
    public RoomPosition position(RoomId room, String token) {
        if (!token.startsWith("s")) {
            return RoomTokens.decode(token);
        }
        long stream;
        try {
            stream = SyncToken.parse(token).events();
        } catch (MatrixException e) {
            throw MatrixException.invalidParam("token", "malformed pagination token");
        }
        List<StoredEvent> last = eventStore.roomEventsByStream(room, Long.MIN_VALUE, stream, 1);
        return last.isEmpty() ? RoomPosition.START : last.getFirst().position();
    }
}
