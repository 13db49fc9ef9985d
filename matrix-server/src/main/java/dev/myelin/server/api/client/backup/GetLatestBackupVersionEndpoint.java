package dev.myelin.server.api.client.backup;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.backup.BackupVersionInfo;
import dev.myelin.server.handler.backup.KeyBackupHandler;

/**
 * {@code GET /_matrix/client/v3/room_keys/version}: the newest backup version with its key count
 * and etag; 404 {@code M_NOT_FOUND} when there is none.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3room_keysversion">spec</a>
 */
public final class GetLatestBackupVersionEndpoint extends JsonEndpoint<NoBody, BackupVersionInfo> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, BackupVersionInfo> SPEC =
            EndpointSpec.get("/_matrix/client/v3/room_keys/version", BackupVersionInfo.class);

    private final KeyBackupHandler backups;

    public GetLatestBackupVersionEndpoint(KeyBackupHandler backups) {
        super(SPEC);
        this.backups = backups;
    }

    @Override
    protected BackupVersionInfo handle(MatrixRequest request, NoBody body) {
        return backups.latestVersion(request.requireRequester().userId());
    }
}
