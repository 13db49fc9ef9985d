package dev.myelin.server.api.client.backup;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.backup.BackupVersionInfo;
import dev.myelin.server.handler.backup.KeyBackupHandler;

/**
 * {@code GET /_matrix/client/v3/room_keys/version/{version}}: one backup version with its key count
 * and etag; 404 {@code M_NOT_FOUND} when it does not exist.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3room_keysversionversion">spec</a>
 */
public final class GetBackupVersionEndpoint extends JsonEndpoint<NoBody, BackupVersionInfo> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, BackupVersionInfo> SPEC =
            EndpointSpec.get("/_matrix/client/v3/room_keys/version/{version}", BackupVersionInfo.class);

    private final KeyBackupHandler backups;

    public GetBackupVersionEndpoint(KeyBackupHandler backups) {
        super(SPEC);
        this.backups = backups;
    }

    @Override
    protected BackupVersionInfo handle(MatrixRequest request, NoBody body) {
        return backups.version(request.requireRequester().userId(), request.pathParam("version"));
    }
}
