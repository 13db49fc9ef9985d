package dev.myelin.server.handler.push;

import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import java.util.Optional;

/**
 * Where a user has read up to in a room: the seam between notification counts and read receipts.
 *
 * <p>An implementation returns the event of the user's latest unthreaded (or main-timeline) read
 * receipt in the room, taking whichever of {@code m.read} and {@code m.read.private} is further
 * ahead in the room's timeline, as the spec requires ("Marking notifications as read"). It returns
 * empty when the user has no read receipt in the room; the counter then counts from the user's
 * join. Threaded receipts (per-thread counts) are not part of this seam.
 *
 * <p>Until the receipts store is wired in, the server uses {@link #NONE}, so every event since
 * the join counts as unread.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#marking-notifications-as-read">Marking notifications as read</a>
 */
@FunctionalInterface
public interface ReadReceiptPosition {
    Optional<EventId> latestReadReceipt(UserId user, RoomId room);

    /** No receipts known: every user has read nothing. */
    ReadReceiptPosition NONE = (user, room) -> Optional.empty();
}
