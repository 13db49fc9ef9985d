package dev.myelin.server.api.client.backup;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.backup.KeyBackupHandler;

/**
 * {@code DELETE /_matrix/client/v3/room_keys/keys[/{roomId}[/{sessionId}]]?version=}: deletes keys
 * from a backup version; answers its {@code etag} and {@code count}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#delete_matrixclientv3room_keyskeys">all keys</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#delete_matrixclientv3room_keyskeysroomid">a room's</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#delete_matrixclientv3room_keyskeysroomidsessionid">a session's</a>
 */
public final class DeleteRoomKeysEndpoint implements Endpoint {
    private final KeyBackupHandler backups;
    private final RoomKeysLevel level;

    public DeleteRoomKeysEndpoint(KeyBackupHandler backups, RoomKeysLevel level) {
        this.backups = backups;
        this.level = level;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.DELETE;
    }

    @Override
    public String path() {
        return level.path();
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var user = request.requireRequester().userId();
        String version = request.requireQueryParam("version");
        return MatrixResponse.ok(backups.deleteKeys(user, version, level.selection(request)));
    }
}
