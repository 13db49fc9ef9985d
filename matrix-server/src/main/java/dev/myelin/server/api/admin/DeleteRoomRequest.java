package dev.myelin.server.api.admin;

import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.admin.RoomDeletions;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The body of Synapse's delete room API (v1 and v2): who makes the room the local users are moved
 * to ({@code new_room_user_id}, none by default), its name and first message, whether to block the
 * room (default false) and to purge it from the database (default true), even with local users
 * left in it ({@code force_purge}).
 */
public record DeleteRoomRequest(
        @Nullable String newRoomUserId,
        @Nullable String roomName,
        @Nullable String message,
        @Nullable Boolean block,
        @Nullable Boolean purge,
        @Nullable Boolean forcePurge) {

    /** The deletion {@code admin} asks for {@code room}; 400 {@code M_INVALID_PARAM} for a malformed user id. */
    RoomDeletions.Request toRequest(RoomId room, UserId admin) {
        Optional<UserId> newRoomUser;
        try {
            newRoomUser = Optional.ofNullable(newRoomUserId).map(UserId::parse);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("new_room_user_id", "not a user id: " + newRoomUserId);
        }
        return new RoomDeletions.Request(
                room,
                admin,
                newRoomUser,
                Optional.ofNullable(roomName),
                Optional.ofNullable(message),
                Boolean.TRUE.equals(block),
                !Boolean.FALSE.equals(purge),
                Boolean.TRUE.equals(forcePurge));
    }
}
