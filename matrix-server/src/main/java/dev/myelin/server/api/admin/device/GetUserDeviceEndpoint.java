package dev.myelin.server.api.admin.device;

import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.device.DeviceHandler;

/** {@code GET /_synapse/admin/v2/users/{userId}/devices/{deviceId}}: one device of a user; 404 when unknown. */
public final class GetUserDeviceEndpoint extends JsonEndpoint<NoBody, AdminDevice> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, AdminDevice> SPEC =
            EndpointSpec.get("/_synapse/admin/v2/users/{userId}/devices/{deviceId}", AdminDevice.class);

    private final AdminUsers admin;
    private final DeviceHandler devices;

    public GetUserDeviceEndpoint(AdminUsers admin, DeviceHandler devices) {
        super(SPEC);
        this.admin = admin;
        this.devices = devices;
    }

    @Override
    protected AdminDevice handle(MatrixRequest request, NoBody body) {
        UserId user = UserDevices.user(admin, request);
        return AdminDevice.of(devices.get(user, UserDevices.deviceId(request.pathParam("deviceId"))));
    }
}
