package dev.myelin.storage.receipt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import java.util.Optional;

/**
 * A read receipt ({@code m.read}, {@code m.read.private}, ...): {@code user} has read up to {@code event}.
 *
 * @param threadId empty for an unthreaded receipt
 * @param data     the receipt's data, e.g. {@code {"ts": 1661384801651}}
 */
public record Receipt(RoomId room, String receiptType, UserId user, Optional<String> threadId, EventId event,
        ObjectNode data, long streamId) {
}
