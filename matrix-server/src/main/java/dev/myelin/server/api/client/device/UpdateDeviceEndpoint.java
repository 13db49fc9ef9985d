package dev.myelin.server.api.client.device;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.device.DeviceHandler;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code PUT /_matrix/client/v3/devices/{deviceId}}: renames one of the current user's devices;
 * 404 {@code M_NOT_FOUND} for a device the user does not have. Creating devices this way is for
 * application services only, which this server does not host yet.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3devicesdeviceid">spec</a>
 */
public final class UpdateDeviceEndpoint extends JsonEndpoint<UpdateDeviceEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC =
            EndpointSpec.put("/_matrix/client/v3/devices/{deviceId}", Request.class, EmptyResponse.class);

    /** The new display name; absent leaves it unchanged. */
    public record Request(@Nullable String displayName) {}

    private final DeviceHandler devices;

    public UpdateDeviceEndpoint(DeviceHandler devices) {
        super(SPEC);
        this.devices = devices;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        devices.update(
                request.requireRequester().userId(),
                PathParams.deviceId(request),
                Optional.ofNullable(body.displayName()));
        return EmptyResponse.INSTANCE;
    }
}
