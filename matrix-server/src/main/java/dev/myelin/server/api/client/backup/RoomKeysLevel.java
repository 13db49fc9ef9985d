package dev.myelin.server.api.client.backup;

import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.backup.KeySelection;
import dev.myelin.server.handler.backup.RoomKeysBackup;

/**
 * The three paths of {@code /room_keys/keys}: every key, one room's, one session's. Each takes the
 * same {@code ?version=} (required) and the same methods, so each endpoint class serves all three.
 */
public enum RoomKeysLevel {
    ALL("/_matrix/client/v3/room_keys/keys"),
    ROOM("/_matrix/client/v3/room_keys/keys/{roomId}"),
    SESSION("/_matrix/client/v3/room_keys/keys/{roomId}/{sessionId}");

    private final String path;

    RoomKeysLevel(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** The keys the request's path addresses; an empty room or session id is 400 {@code M_INVALID_PARAM}. */
    KeySelection selection(MatrixRequest request) {
        return switch (this) {
            case ALL -> KeySelection.all();
            case ROOM -> KeySelection.room(RoomKeysBackup.checkRoom(request.pathParam("roomId"), "roomId"));
            case SESSION -> {
                String session = request.pathParam("sessionId");
                if (session.isEmpty()) {
                    throw MatrixException.invalidParam("sessionId", "must not be empty");
                }
                yield KeySelection.session(RoomKeysBackup.checkRoom(request.pathParam("roomId"), "roomId"), session);
            }
        };
    }
}
