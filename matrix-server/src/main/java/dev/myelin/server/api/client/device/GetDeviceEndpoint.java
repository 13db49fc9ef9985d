package dev.myelin.server.api.client.device;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.device.DeviceHandler;

/**
 * {@code GET /_matrix/client/v3/devices/{deviceId}}: one device of the current user; 404
 * {@code M_NOT_FOUND} when the user has no such device.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3devicesdeviceid">spec</a>
 */
public final class GetDeviceEndpoint extends JsonEndpoint<NoBody, DeviceInfo> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, DeviceInfo> SPEC =
            EndpointSpec.get("/_matrix/client/v3/devices/{deviceId}", DeviceInfo.class);

    private final DeviceHandler devices;

    public GetDeviceEndpoint(DeviceHandler devices) {
        super(SPEC);
        this.devices = devices;
    }

    @Override
    protected DeviceInfo handle(MatrixRequest request, NoBody body) {
        return DeviceInfo.of(devices.get(request.requireRequester().userId(), PathParams.deviceId(request)));
    }
}
