package dev.myelin.server.api.client.backup;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.backup.BackupVersionBody;
import dev.myelin.server.handler.backup.BackupVersionCreated;
import dev.myelin.server.handler.backup.KeyBackupHandler;

/**
 * {@code POST /_matrix/client/v3/room_keys/version}: creates a new backup version with an algorithm
 * and its auth data; answers its version.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3room_keysversion">spec</a>
 */
public final class CreateBackupVersionEndpoint extends JsonEndpoint<BackupVersionBody, BackupVersionCreated> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<BackupVersionBody, BackupVersionCreated> SPEC = EndpointSpec.post(
            "/_matrix/client/v3/room_keys/version", BackupVersionBody.class, BackupVersionCreated.class);

    private final KeyBackupHandler backups;

    public CreateBackupVersionEndpoint(KeyBackupHandler backups) {
        super(SPEC);
        this.backups = backups;
    }

    @Override
    protected BackupVersionCreated handle(MatrixRequest request, BackupVersionBody body) {
        return backups.createVersion(request.requireRequester().userId(), body);
    }
}
