package dev.myelin.server.api.client.backup;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.backup.KeyBackupHandler;

/**
 * {@code GET /_matrix/client/v3/room_keys/version}: the newest backup version with its key count
 * and etag; 404 {@code M_NOT_FOUND} when there is none.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3room_keysversion">spec</a>
 */
public final class GetLatestBackupVersionEndpoint implements Endpoint {
    private final KeyBackupHandler backups;

    public GetLatestBackupVersionEndpoint(KeyBackupHandler backups) {
        this.backups = backups;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/room_keys/version";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var user = request.requireRequester().userId();
        return MatrixResponse.ok(backups.latestVersion(user));
    }
}
