package dev.myelin.server.api.client.device;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.http.server.Requester;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import dev.myelin.server.handler.device.DeviceHandler;
import java.util.List;
import java.util.Optional;

/**
 * {@code DELETE /_matrix/client/v3/devices/{deviceId}}: deletes one of the current user's
 * devices and its tokens, after user-interactive auth with the account password. A device that
 * is already gone is a success, as the spec says. The body may be empty on the first request.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#delete_matrixclientv3devicesdeviceid">spec</a>
 */
public final class DeleteDeviceEndpoint implements Endpoint {
    static final List<List<String>> FLOWS = List.of(List.of(UserInteractiveAuth.PASSWORD));

    private final DeviceHandler devices;
    private final UserInteractiveAuth uia;

    public DeleteDeviceEndpoint(DeviceHandler devices, UserInteractiveAuth uia) {
        this.devices = devices;
        this.uia = uia;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.DELETE;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/devices/{deviceId}";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        Requester requester = request.requireRequester();
        DeviceId device = PathParams.deviceId(request);
        ObjectNode body = request.bodyBytes().length == 0 ? JsonNodeFactory.instance.objectNode() : request.jsonObject();
        try {
            uia.authorise(body, FLOWS, Optional.of(requester.userId()));
        } catch (UserInteractiveAuth.AuthRequired e) {
            return MatrixResponse.json(401, e.body());
        }
        devices.delete(requester.userId(), List.of(device));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
