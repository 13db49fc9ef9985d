package dev.myelin.server.api.client.device;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.device.DeviceHandler;

/**
 * {@code GET /_matrix/client/v3/devices/{deviceId}}: one device of the current user; 404
 * {@code M_NOT_FOUND} when the user has no such device.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3devicesdeviceid">spec</a>
 */
public final class GetDeviceEndpoint implements Endpoint {
    private final DeviceHandler devices;

    public GetDeviceEndpoint(DeviceHandler devices) {
        this.devices = devices;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/devices/{deviceId}";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        return MatrixResponse.ok(DeviceHandler.toJson(
                devices.get(request.requireRequester().userId(), PathParams.deviceId(request))));
    }
}
