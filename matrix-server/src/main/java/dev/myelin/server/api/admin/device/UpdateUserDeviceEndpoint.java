package dev.myelin.server.api.admin.device;

import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.device.DeviceHandler;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** {@code PUT /_synapse/admin/v2/users/{userId}/devices/{deviceId}}: renames a user's device. */
public final class UpdateUserDeviceEndpoint extends JsonEndpoint<UpdateUserDeviceEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC = EndpointSpec.put(
            "/_synapse/admin/v2/users/{userId}/devices/{deviceId}", Request.class, EmptyResponse.class);

    /** The new display name; absent leaves it. */
    public record Request(@Nullable String displayName) {}

    private final AdminUsers admin;
    private final DeviceHandler devices;

    public UpdateUserDeviceEndpoint(AdminUsers admin, DeviceHandler devices) {
        super(SPEC);
        this.admin = admin;
        this.devices = devices;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        UserId user = UserDevices.user(admin, request);
        devices.update(
                user, UserDevices.deviceId(request.pathParam("deviceId")), Optional.ofNullable(body.displayName()));
        return EmptyResponse.INSTANCE;
    }
}
