package dev.myelin.server.api.client.backup;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.backup.KeyBackupHandler;
import dev.myelin.server.handler.backup.RoomKeysCount;

/**
 * {@code DELETE /_matrix/client/v3/room_keys/keys[/{roomId}[/{sessionId}]]?version=}: deletes keys
 * from a backup version; answers its {@code etag} and {@code count}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#delete_matrixclientv3room_keyskeys">all keys</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#delete_matrixclientv3room_keyskeysroomid">a room's</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#delete_matrixclientv3room_keyskeysroomidsessionid">a session's</a>
 */
public final class DeleteRoomKeysEndpoint extends JsonEndpoint<NoBody, RoomKeysCount> {
    /** The definition of deleting every key, shared with clients. */
    public static final EndpointSpec<NoBody, RoomKeysCount> ALL_SPEC = spec(RoomKeysLevel.ALL);
    /** The definition of deleting one room's keys, shared with clients. */
    public static final EndpointSpec<NoBody, RoomKeysCount> ROOM_SPEC = spec(RoomKeysLevel.ROOM);
    /** The definition of deleting one session's key, shared with clients. */
    public static final EndpointSpec<NoBody, RoomKeysCount> SESSION_SPEC = spec(RoomKeysLevel.SESSION);

    private final KeyBackupHandler backups;
    private final RoomKeysLevel level;

    public DeleteRoomKeysEndpoint(KeyBackupHandler backups, RoomKeysLevel level) {
        super(spec(level));
        this.backups = backups;
        this.level = level;
    }

    /** The definition at one level. */
    public static EndpointSpec<NoBody, RoomKeysCount> spec(RoomKeysLevel level) {
        return EndpointSpec.delete(level.path(), RoomKeysCount.class);
    }

    @Override
    protected RoomKeysCount handle(MatrixRequest request, NoBody body) {
        var user = request.requireRequester().userId();
        String version = request.requireQueryParam("version");
        return backups.deleteKeys(user, version, level.selection(request));
    }
}
