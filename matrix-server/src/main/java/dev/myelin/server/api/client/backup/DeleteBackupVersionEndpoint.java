package dev.myelin.server.api.client.backup;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.backup.KeyBackupHandler;

/**
 * {@code DELETE /_matrix/client/v3/room_keys/version/{version}}: deletes a backup version and all
 * its keys; deleting it again succeeds.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#delete_matrixclientv3room_keysversionversion">spec</a>
 */
public final class DeleteBackupVersionEndpoint implements Endpoint {
    private final KeyBackupHandler backups;

    public DeleteBackupVersionEndpoint(KeyBackupHandler backups) {
        this.backups = backups;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.DELETE;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/room_keys/version/{version}";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var user = request.requireRequester().userId();
        backups.deleteVersion(user, request.pathParam("version"));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
