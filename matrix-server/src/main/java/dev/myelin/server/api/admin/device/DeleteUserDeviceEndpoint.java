package dev.myelin.server.api.admin.device;

import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.device.DeviceHandler;
import java.util.List;

/**
 * {@code DELETE /_synapse/admin/v2/users/{userId}/devices/{deviceId}}: deletes a user's device
 * with its tokens; a device already gone is success, as in Synapse.
 */
public final class DeleteUserDeviceEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, EmptyResponse> SPEC =
            EndpointSpec.delete("/_synapse/admin/v2/users/{userId}/devices/{deviceId}", EmptyResponse.class);

    private final AdminUsers admin;
    private final DeviceHandler devices;

    public DeleteUserDeviceEndpoint(AdminUsers admin, DeviceHandler devices) {
        super(SPEC);
        this.admin = admin;
        this.devices = devices;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        UserId user = UserDevices.user(admin, request);
        devices.delete(user, List.of(UserDevices.deviceId(request.pathParam("deviceId"))));
        return EmptyResponse.INSTANCE;
    }
}
