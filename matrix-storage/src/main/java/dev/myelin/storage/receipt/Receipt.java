package dev.myelin.storage.receipt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import java.util.Optional;

/**
 * One user's receipt of one type in a room, as of {@code streamId}.
 *
 * @param threadId the thread root event id or {@code main}; empty for an unthreaded receipt
 * @param data     what clients see under the user: {@code ts} and, for threaded receipts, {@code thread_id}
 */
public record Receipt(
        RoomId room,
        String receiptType,
        UserId user,
        Optional<String> threadId,
        EventId eventId,
        ObjectNode data,
        long streamId) {}
