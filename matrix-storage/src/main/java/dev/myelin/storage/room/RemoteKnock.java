package dev.myelin.storage.room;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A local user's knock on a room this server does not take part in, made through a server in the
 * room, and the leave that rescinded it, if any.
 *
 * @param user the knocking local user
 * @param room the room
 * @param knockEventId the knock event, kept as an outlier
 * @param knockStream the knock event's events-stream position
 * @param roomVersion the room's version id, as the resident server gave it
 * @param resident the server the knock went through
 * @param knockState the stripped state events the resident server answered with
 * @param leaveEventId the leave that rescinded the knock; empty while it is pending
 * @param leaveStream that leave's events-stream position
 */
public record RemoteKnock(
        UserId user,
        RoomId room,
        EventId knockEventId,
        long knockStream,
        String roomVersion,
        ServerName resident,
        ArrayNode knockState,
        Optional<EventId> leaveEventId,
        OptionalLong leaveStream) {

    /** Whether the user has not rescinded the knock yet. */
    public boolean pending() {
        return leaveEventId.isEmpty();
    }
}
