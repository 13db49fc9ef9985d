package dev.myelin.server.api.client.backup;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.backup.KeyBackupHandler;

/**
 * {@code PUT /_matrix/client/v3/room_keys/version/{version}}: replaces the auth data of a backup
 * version; the algorithm cannot change.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3room_keysversionversion">spec</a>
 */
public final class UpdateBackupVersionEndpoint implements Endpoint {
    private final KeyBackupHandler backups;

    public UpdateBackupVersionEndpoint(KeyBackupHandler backups) {
        this.backups = backups;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.PUT;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/room_keys/version/{version}";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var user = request.requireRequester().userId();
        backups.updateVersion(user, request.pathParam("version"), request.jsonObject());
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
