package dev.myelin.server.handler.receipt;

import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;

/** Told when a user's read receipt ({@code m.read} or {@code m.read.private}) in a room moved. */
@FunctionalInterface
public interface ReadReceiptListener {
    void onReadReceipt(RoomId room, UserId user);
}
