package dev.myelin.server.api.client.device;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.device.DeviceHandler;

/**
 * {@code GET /_matrix/client/v3/devices}: every device of the current user, ordered by id.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3devices">spec</a>
 */
public final class ListDevicesEndpoint implements Endpoint {
    private final DeviceHandler devices;

    public ListDevicesEndpoint(DeviceHandler devices) {
        this.devices = devices;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/devices";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode list = body.putArray("devices");
        devices.list(request.requireRequester().userId()).forEach(d -> list.add(DeviceHandler.toJson(d)));
        return MatrixResponse.ok(body);
    }
}
