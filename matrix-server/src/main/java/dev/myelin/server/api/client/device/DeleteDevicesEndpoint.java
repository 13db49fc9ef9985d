package dev.myelin.server.api.client.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.http.server.Requester;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import dev.myelin.server.handler.device.DeviceHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /_matrix/client/v3/delete_devices}: deletes several of the current user's devices
 * and their tokens, after user-interactive auth with the account password. The device list is
 * checked before the auth dance, so a malformed request never uses up a completed session.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3delete_devices">spec</a>
 */
public final class DeleteDevicesEndpoint implements Endpoint {
    private final DeviceHandler devices;
    private final UserInteractiveAuth uia;

    public DeleteDevicesEndpoint(DeviceHandler devices, UserInteractiveAuth uia) {
        this.devices = devices;
        this.uia = uia;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/delete_devices";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        Requester requester = request.requireRequester();
        ObjectNode body = request.jsonObject();
        List<DeviceId> toDelete = deviceIds(body.get("devices"));
        try {
            uia.authorise(body, DeleteDeviceEndpoint.FLOWS, Optional.of(requester.userId()));
        } catch (UserInteractiveAuth.AuthRequired e) {
            return MatrixResponse.json(401, e.body());
        }
        devices.delete(requester.userId(), toDelete);
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    private static List<DeviceId> deviceIds(JsonNode node) {
        if (node == null || node.isNull()) {
            throw MatrixException.missingParam("devices");
        }
        if (!node.isArray()) {
            throw MatrixException.badJson("'devices' must be an array of device ids");
        }
        List<DeviceId> ids = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw MatrixException.badJson("'devices' must be an array of device ids");
            }
            try {
                ids.add(DeviceId.parse(element.textValue()));
            } catch (InvalidIdentifierException e) {
                throw MatrixException.invalidParam("devices", e.getMessage());
            }
        }
        return ids;
    }
}
