package dev.myelin.server.api.client.backup;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.backup.KeyBackupHandler;

/**
 * {@code POST /_matrix/client/v3/room_keys/version}: creates a new backup version with an algorithm
 * and its auth data; answers its version.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3room_keysversion">spec</a>
 */
public final class CreateBackupVersionEndpoint implements Endpoint {
    private final KeyBackupHandler backups;

    public CreateBackupVersionEndpoint(KeyBackupHandler backups) {
        this.backups = backups;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/room_keys/version";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var user = request.requireRequester().userId();
        return MatrixResponse.ok(backups.createVersion(user, request.jsonObject()));
    }
}
