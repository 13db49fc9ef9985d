package dev.myelin.server.api.client.keys;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.keys.DeviceListChanges;
import dev.myelin.server.handler.keys.DeviceLists;
import dev.myelin.server.handler.sync.SyncToken;

/**
 * {@code GET /_matrix/client/v3/keys/changes?from=&to=}: the users whose device lists changed between
 * two sync tokens (sharing a room with the caller), and those who no longer share a room.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3keyschanges">spec</a>
 */
public final class KeyChangesEndpoint extends JsonEndpoint<NoBody, DeviceListChanges> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, DeviceListChanges> SPEC =
            EndpointSpec.get("/_matrix/client/v3/keys/changes", DeviceListChanges.class);

    private final DeviceLists deviceLists;

    public KeyChangesEndpoint(DeviceLists deviceLists) {
        super(SPEC);
        this.deviceLists = deviceLists;
    }

    @Override
    protected DeviceListChanges handle(MatrixRequest request, NoBody body) {
        var user = request.requireRequester().userId();
        SyncToken from = token(request, "from");
        SyncToken to = token(request, "to");
        return DeviceListChanges.of(deviceLists.changes(
                user,
                from.events(),
                Math.max(from.events(), to.events()),
                from.deviceLists(),
                Math.max(from.deviceLists(), to.deviceLists())));
    }

    private static SyncToken token(MatrixRequest request, String name) {
        String value = request.queryParam(name).orElseThrow(() -> MatrixException.missingParam(name));
        try {
            return SyncToken.parse(value);
        } catch (MatrixException e) {
            throw MatrixException.invalidParam(name, "not a sync token issued by this server");
        }
    }
}
