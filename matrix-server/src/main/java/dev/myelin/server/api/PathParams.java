package dev.myelin.server.api;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;

/** Typed path parameters: a malformed id is {@code M_INVALID_PARAM} naming the parameter. */
public final class PathParams {
    private PathParams() {}

    public static RoomId roomId(MatrixRequest request) {
        return parse(request, "roomId", RoomId::parse);
    }

    public static UserId userId(MatrixRequest request) {
        return parse(request, "userId", UserId::parse);
    }

    public static EventId eventId(MatrixRequest request) {
        return parse(request, "eventId", EventId::parse);
    }

    public static DeviceId deviceId(MatrixRequest request) {
        return parse(request, "deviceId", DeviceId::parse);
    }

    private static <T> T parse(MatrixRequest request, String name, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(request.pathParam(name));
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam(name, e.getMessage());
        }
    }
}
