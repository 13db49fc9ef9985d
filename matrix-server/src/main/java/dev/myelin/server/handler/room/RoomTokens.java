package dev.myelin.server.handler.room;

import dev.myelin.http.error.MatrixException;
import dev.myelin.storage.event.RoomPosition;

/**
 * The opaque tokens clients hold for a position in one room's timeline ({@code prev_batch} in
 * {@code /sync}, {@code start}/{@code end}/{@code from}/{@code to} in {@code /messages}):
 * {@code t<topological>_<stream>}, the {@link RoomPosition} just after an event.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidmessages">/messages</a>
 */
public final class RoomTokens {
    private RoomTokens() {}

    public static String encode(RoomPosition position) {
        return "t" + position.topological() + "_" + position.stream();
    }

    /** The position a token names; 400 {@code M_INVALID_PARAM} for anything this server did not issue. */
    public static RoomPosition decode(String token) {
        if (token == null || !token.startsWith("t")) {
            throw invalid(token);
        }
        int underscore = token.indexOf('_', 1);
        if (underscore < 0) {
            throw invalid(token);
        }
        try {
            return new RoomPosition(Long.parseLong(token.substring(1, underscore)),
                    Long.parseLong(token.substring(underscore + 1)));
        } catch (NumberFormatException e) {
            throw invalid(token);
        }
    }

    private static MatrixException invalid(String token) {
        return MatrixException.invalidParam("token", "not a room pagination token: " + token);
    }
}
