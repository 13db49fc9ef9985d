package dev.myelin.server.api.client.device;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.handler.auth.AuthenticationData;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import dev.myelin.server.handler.device.DeviceHandler;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v3/delete_devices}: deletes several of the current user's devices
 * and their tokens, after user-interactive auth with the account password. The device list is
 * checked when the body is read, so a malformed request never uses up a completed session.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3delete_devices">spec</a>
 */
public final class DeleteDevicesEndpoint extends JsonEndpoint<DeleteDevicesEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC =
            EndpointSpec.post("/_matrix/client/v3/delete_devices", Request.class, EmptyResponse.class);

    /** The devices to delete, and the auth stage. */
    public record Request(List<String> devices, @Nullable AuthenticationData auth) {
        public Request {
            EndpointJson.required(devices, "devices");
            deviceIds(devices);
        }

        List<DeviceId> deviceIds() {
            return deviceIds(devices);
        }

        private static List<DeviceId> deviceIds(List<String> devices) {
            if (devices.stream().anyMatch(d -> d == null)) {
                throw MatrixException.badJson("'devices' must be an array of device ids");
            }
            try {
                return devices.stream().map(DeviceId::parse).toList();
            } catch (InvalidIdentifierException e) {
                throw MatrixException.invalidParam("devices", e.getMessage());
            }
        }
    }

    private final DeviceHandler devices;
    private final UserInteractiveAuth uia;

    public DeleteDevicesEndpoint(DeviceHandler devices, UserInteractiveAuth uia) {
        super(SPEC);
        this.devices = devices;
        this.uia = uia;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        Requester requester = request.requireRequester();
        List<DeviceId> toDelete = uia.authorise(
                        request, body, body.auth(), DeleteDeviceEndpoint.FLOWS, Optional.of(requester.userId()))
                .body()
                .deviceIds();
        devices.delete(requester.userId(), toDelete);
        return EmptyResponse.INSTANCE;
    }
}
