package dev.myelin.server.api.client.legacy;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.QueryParams;
import dev.myelin.server.handler.legacy.InitialSnapshot;
import dev.myelin.server.handler.legacy.InitialSyncHandler;
import dev.myelin.server.handler.room.ClientEvents;

/**
 * {@code GET /_matrix/client/v3/initialSync}: the deprecated snapshot of all the user's rooms, with
 * {@code limit} messages per room (default {@value InitialSyncHandler#DEFAULT_LIMIT}) and
 * {@code archived=true} to include the rooms they left.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3initialsync">spec</a>
 */
public final class InitialSyncEndpoint extends JsonEndpoint<NoBody, InitialSnapshot> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, InitialSnapshot> SPEC =
            EndpointSpec.get("/_matrix/client/v3/initialSync", InitialSnapshot.class);

    private final InitialSyncHandler snapshots;

    public InitialSyncEndpoint(InitialSyncHandler snapshots) {
        super(SPEC);
        this.snapshots = snapshots;
    }

    @Override
    protected InitialSnapshot handle(MatrixRequest request, NoBody body) {
        int limit = QueryParams.nonNegativeInt(request, "limit", InitialSyncHandler.DEFAULT_LIMIT);
        boolean archived = QueryParams.bool(request, "archived").orElse(false);
        return snapshots.snapshot(ClientEvents.Viewer.of(request.requireRequester()), limit, archived);
    }
}
