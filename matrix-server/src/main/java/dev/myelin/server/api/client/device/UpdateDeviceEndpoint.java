package dev.myelin.server.api.client.device;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.JsonFields;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.device.DeviceHandler;

/**
 * {@code PUT /_matrix/client/v3/devices/{deviceId}}: renames one of the current user's devices;
 * 404 {@code M_NOT_FOUND} for a device the user does not have. Creating devices this way is for
 * application services only, which this server does not host yet.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3devicesdeviceid">spec</a>
 */
public final class UpdateDeviceEndpoint implements Endpoint {
    private final DeviceHandler devices;

    public UpdateDeviceEndpoint(DeviceHandler devices) {
        this.devices = devices;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.PUT;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/devices/{deviceId}";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        devices.update(request.requireRequester().userId(), PathParams.deviceId(request),
                JsonFields.optionalString(request.jsonObject(), "display_name"));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
