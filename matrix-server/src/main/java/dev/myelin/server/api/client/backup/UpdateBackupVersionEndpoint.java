package dev.myelin.server.api.client.backup;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.backup.BackupVersionBody;
import dev.myelin.server.handler.backup.KeyBackupHandler;

/**
 * {@code PUT /_matrix/client/v3/room_keys/version/{version}}: replaces the auth data of a backup
 * version; the algorithm cannot change.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3room_keysversionversion">spec</a>
 */
public final class UpdateBackupVersionEndpoint extends JsonEndpoint<BackupVersionBody, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<BackupVersionBody, EmptyResponse> SPEC = EndpointSpec.put(
            "/_matrix/client/v3/room_keys/version/{version}", BackupVersionBody.class, EmptyResponse.class);

    private final KeyBackupHandler backups;

    public UpdateBackupVersionEndpoint(KeyBackupHandler backups) {
        super(SPEC);
        this.backups = backups;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, BackupVersionBody body) {
        backups.updateVersion(request.requireRequester().userId(), request.pathParam("version"), body);
        return EmptyResponse.INSTANCE;
    }
}
