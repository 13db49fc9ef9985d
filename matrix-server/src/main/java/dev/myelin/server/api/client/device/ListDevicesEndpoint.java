package dev.myelin.server.api.client.device;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.device.DeviceHandler;
import java.util.List;

/**
 * {@code GET /_matrix/client/v3/devices}: every device of the current user, ordered by id.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3devices">spec</a>
 */
public final class ListDevicesEndpoint extends JsonEndpoint<NoBody, ListDevicesEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/v3/devices", Response.class);

    /** The user's devices. */
    public record Response(List<DeviceInfo> devices) {}

    private final DeviceHandler devices;

    public ListDevicesEndpoint(DeviceHandler devices) {
        super(SPEC);
        this.devices = devices;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        return new Response(devices.list(request.requireRequester().userId()).stream()
                .map(DeviceInfo::of)
                .toList());
    }
}
