package dev.myelin.server.api.admin.device;

import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.device.DeviceHandler;
import java.util.List;

/** {@code GET /_synapse/admin/v2/users/{userId}/devices}: a user's devices, for server admins. */
public final class ListUserDevicesEndpoint extends JsonEndpoint<NoBody, ListUserDevicesEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_synapse/admin/v2/users/{userId}/devices", Response.class);

    /** The devices and how many there are. */
    public record Response(List<AdminDevice> devices, int total) {}

    private final AdminUsers admin;
    private final DeviceHandler devices;

    public ListUserDevicesEndpoint(AdminUsers admin, DeviceHandler devices) {
        super(SPEC);
        this.admin = admin;
        this.devices = devices;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        UserId user = UserDevices.user(admin, request);
        List<AdminDevice> list =
                devices.list(user).stream().map(AdminDevice::of).toList();
        return new Response(list, list.size());
    }
}
