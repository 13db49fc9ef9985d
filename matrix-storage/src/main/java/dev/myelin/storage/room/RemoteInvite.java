package dev.myelin.storage.room;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A local user's invite to a room this server does not take part in, as received from another
 * server, and the leave that rejected it, if any.
 *
 * @param user the invited local user
 * @param room the room
 * @param inviteEventId the invite event, kept as an outlier
 * @param inviteStream the invite event's events-stream position
 * @param roomVersion the room's version id, as the inviting server gave it
 * @param origin the server that sent the invite
 * @param inviteState the stripped state events the inviting server sent with it
 * @param leaveEventId the leave that rejected the invite; empty while it is pending
 * @param leaveStream that leave's events-stream position
 */
public record RemoteInvite(
        UserId user,
        RoomId room,
        EventId inviteEventId,
        long inviteStream,
        String roomVersion,
        ServerName origin,
        ArrayNode inviteState,
        Optional<EventId> leaveEventId,
        OptionalLong leaveStream) {

    /** Whether the user has not rejected the invite yet. */
    public boolean pending() {
        return leaveEventId.isEmpty();
    }
}
