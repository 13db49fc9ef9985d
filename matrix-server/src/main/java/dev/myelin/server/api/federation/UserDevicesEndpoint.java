package dev.myelin.server.api.federation;

import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.UserId;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.UserDevicesResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.keys.OutboundDeviceLists;

/**
 * {@code GET /_matrix/federation/v1/user/devices/{userId}}: a local user's whole device list, for a
 * server that tracks it and missed an update or has none cached. Signed with X-Matrix. A user id of
 * another server, or not a user id, is 400 {@code M_INVALID_PARAM}; a local user without devices
 * has an empty list.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1userdevicesuserid">spec</a>
 */
public final class UserDevicesEndpoint extends JsonEndpoint<NoBody, UserDevicesResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, UserDevicesResponse> SPEC = FederationEndpoints.USER_DEVICES;

    private final OutboundDeviceLists deviceLists;

    public UserDevicesEndpoint(OutboundDeviceLists deviceLists) {
        super(SPEC);
        this.deviceLists = deviceLists;
    }

    @Override
    protected UserDevicesResponse handle(MatrixRequest request, NoBody body) {
        UserId user;
        try {
            user = UserId.parse(request.pathParam("userId"));
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("userId", "not a user id");
        }
        return deviceLists.devicesFor(request.requireOrigin(), user);
    }
}
