package dev.myelin.server.api.client.backup;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.backup.KeyBackupHandler;

/**
 * {@code DELETE /_matrix/client/v3/room_keys/version/{version}}: deletes a backup version and all
 * its keys; deleting it again succeeds.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#delete_matrixclientv3room_keysversionversion">spec</a>
 */
public final class DeleteBackupVersionEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, EmptyResponse> SPEC =
            EndpointSpec.delete("/_matrix/client/v3/room_keys/version/{version}", EmptyResponse.class);

    private final KeyBackupHandler backups;

    public DeleteBackupVersionEndpoint(KeyBackupHandler backups) {
        super(SPEC);
        this.backups = backups;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        backups.deleteVersion(request.requireRequester().userId(), request.pathParam("version"));
        return EmptyResponse.INSTANCE;
    }
}
