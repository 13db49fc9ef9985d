package dev.myelin.server.handler.legacy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * One room as an initial sync shows it ({@code RoomInfo} of the spec): a room the user is in or
 * left has its latest messages, state and the user's room account data; an invite has the
 * invite event. Events stay JSON trees, since their content is free-form.
 *
 * @param membership the user's membership; absent when peeking into a world_readable room
 * @param visibility {@code public} when the room is in the public room directory, else {@code private}
 * @param inviter who invited the user, for an invite
 * @param invite the invite event, for an invite
 * @param messages the latest messages, up to the user's leave for a room they left
 * @param state the room's state, as it was when the user left for a room they left
 * @param presence the members' presence (room initial sync of a room the user is in, else empty)
 * @param receipts the room's {@code m.receipt} event (room initial sync of a room the user is in)
 * @param accountData the user's account data for the room, tags included
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidinitialsync">spec</a>
 */
public record RoomSnapshot(
        String roomId,
        @Nullable String membership,
        @Nullable String visibility,
        @Nullable String inviter,
        @Nullable ObjectNode invite,
        @Nullable Messages messages,
        @Nullable ArrayNode state,
        @Nullable ArrayNode presence,
        @Nullable ArrayNode receipts,
        @Nullable ArrayNode accountData) {

    /**
     * The latest messages of a room, oldest first.
     *
     * @param start a {@code /messages} token to page back from the first of them
     * @param end a stream token just after the last of them, for {@code /events} (and
     *     {@code /sync})
     */
    public record Messages(ArrayNode chunk, String start, String end) {}
}
