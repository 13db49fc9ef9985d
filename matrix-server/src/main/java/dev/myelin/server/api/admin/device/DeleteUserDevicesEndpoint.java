package dev.myelin.server.api.admin.device;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.device.DeviceHandler;
import java.util.List;

/** {@code POST /_synapse/admin/v2/users/{userId}/delete_devices}: deletes several of a user's devices. */
public final class DeleteUserDevicesEndpoint extends JsonEndpoint<DeleteUserDevicesEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC =
            EndpointSpec.post("/_synapse/admin/v2/users/{userId}/delete_devices", Request.class, EmptyResponse.class);

    /** The ids of the devices to delete. */
    public record Request(List<String> devices) {
        public Request {
            EndpointJson.required(devices, "devices");
        }
    }

    private final AdminUsers admin;
    private final DeviceHandler devices;

    public DeleteUserDevicesEndpoint(AdminUsers admin, DeviceHandler devices) {
        super(SPEC);
        this.admin = admin;
        this.devices = devices;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        UserId user = UserDevices.user(admin, request);
        List<DeviceId> ids = body.devices().stream().map(UserDevices::deviceId).toList();
        devices.delete(user, ids);
        return EmptyResponse.INSTANCE;
    }
}
