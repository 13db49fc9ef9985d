package dev.myelin.server.handler.receipt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;

/** Told when a local user sets a public read receipt ({@code m.read}), with what it names. */
@FunctionalInterface
public interface PublicReceiptListener {
    /**
     * @param data the receipt's data: {@code ts}, and {@code thread_id} for a threaded receipt
     */
    void onPublicReceipt(RoomId room, UserId user, EventId event, ObjectNode data);
}
