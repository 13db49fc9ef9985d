package dev.myelin.server.api.admin.media;

import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.storage.account.UserStore;
import java.util.Optional;

/** How the media admin endpoints read their parameters: bad values are 400 {@code M_INVALID_PARAM}. */
final class AdminParams {
    private AdminParams() {}

    /** A non-negative number query parameter, {@code otherwise} when absent. */
    static long number(MatrixRequest request, String name, long otherwise) {
        Optional<String> value = request.queryParam(name);
        if (value.isEmpty()) {
            return otherwise;
        }
        try {
            long n = Long.parseLong(value.get());
            if (n < 0) {
                throw MatrixException.invalidParam(name, "must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam(name, "must be a number");
        }
    }

    /** A {@code true}/{@code false} query parameter, {@code otherwise} when absent. */
    static boolean flag(MatrixRequest request, String name, boolean otherwise) {
        return switch (request.queryParam(name).orElse(Boolean.toString(otherwise))) {
            case "true" -> true;
            case "false" -> false;
            default -> throw MatrixException.invalidParam(name, "must be true or false");
        };
    }

    /** The {@code userId} path parameter: a user of this server with an account, else 400 or 404. */
    static UserId localUser(MatrixRequest request, ServerName serverName, UserStore users) {
        UserId user;
        try {
            user = UserId.parse(request.pathParam("userId"));
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("user_id", e.getMessage());
        }
        if (!user.server().equals(serverName)) {
            throw MatrixException.invalidParam("user_id", "Can only look up local users");
        }
        if (users.get(user).isEmpty()) {
            throw MatrixException.notFound("Unknown user");
        }
        return user;
    }

    /** The {@code roomId} path parameter, else 400. */
    static RoomId room(MatrixRequest request) {
        try {
            return RoomId.parse(request.pathParam("roomId"));
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("room_id", e.getMessage());
        }
    }
}
