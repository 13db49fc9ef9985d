package dev.myelin.server.api.client.backup;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.backup.KeyBackupHandler;

/**
 * {@code PUT /_matrix/client/v3/room_keys/keys[/{roomId}[/{sessionId}]]?version=}: stores keys in
 * the newest backup version, each replacing a stored key of its session only when it is better;
 * answers the version's {@code etag} and {@code count}. An older version is 403 {@code
 * M_WRONG_ROOM_KEYS_VERSION} with {@code current_version}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3room_keyskeys">all keys</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3room_keyskeysroomid">a room's</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3room_keyskeysroomidsessionid">a session's</a>
 */
public final class PutRoomKeysEndpoint implements Endpoint {
    private final KeyBackupHandler backups;
    private final RoomKeysLevel level;

    public PutRoomKeysEndpoint(KeyBackupHandler backups, RoomKeysLevel level) {
        this.backups = backups;
        this.level = level;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.PUT;
    }

    @Override
    public String path() {
        return level.path();
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var user = request.requireRequester().userId();
        String version = request.requireQueryParam("version");
        return MatrixResponse.ok(backups.putKeys(user, version, level.selection(request), request.jsonObject()));
    }
}
