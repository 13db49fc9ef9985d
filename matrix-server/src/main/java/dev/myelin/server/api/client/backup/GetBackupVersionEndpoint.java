package dev.myelin.server.api.client.backup;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.backup.KeyBackupHandler;

/**
 * {@code GET /_matrix/client/v3/room_keys/version/{version}}: one backup version with its key count
 * and etag; 404 {@code M_NOT_FOUND} when it does not exist.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3room_keysversionversion">spec</a>
 */
public final class GetBackupVersionEndpoint implements Endpoint {
    private final KeyBackupHandler backups;

    public GetBackupVersionEndpoint(KeyBackupHandler backups) {
        this.backups = backups;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/room_keys/version/{version}";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var user = request.requireRequester().userId();
        return MatrixResponse.ok(backups.version(user, request.pathParam("version")));
    }
}
