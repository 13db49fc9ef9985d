package dev.myelin.server.api.client.device;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.auth.AuthenticationData;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import dev.myelin.server.handler.device.DeviceHandler;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code DELETE /_matrix/client/v3/devices/{deviceId}}: deletes one of the current user's
 * devices and its tokens, after user-interactive auth with the account password. A device that
 * is already gone is a success, as the spec says. The body may be empty on the first request.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#delete_matrixclientv3devicesdeviceid">spec</a>
 */
public final class DeleteDeviceEndpoint extends JsonEndpoint<DeleteDeviceEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC = EndpointSpec.of(
                    HttpMethod.DELETE, "/_matrix/client/v3/devices/{deviceId}", Request.class, EmptyResponse.class)
            .bodyMayBeAbsent();

    static final List<List<String>> FLOWS = List.of(List.of(UserInteractiveAuth.PASSWORD));

    /** The auth stage, absent on the first request. */
    public record Request(@Nullable AuthenticationData auth) {}

    private final DeviceHandler devices;
    private final UserInteractiveAuth uia;

    public DeleteDeviceEndpoint(DeviceHandler devices, UserInteractiveAuth uia) {
        super(SPEC);
        this.devices = devices;
        this.uia = uia;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        Requester requester = request.requireRequester();
        var device = PathParams.deviceId(request);
        uia.authorise(request, body, body.auth(), FLOWS, Optional.of(requester.userId()));
        devices.delete(requester.userId(), List.of(device));
        return EmptyResponse.INSTANCE;
    }
}
