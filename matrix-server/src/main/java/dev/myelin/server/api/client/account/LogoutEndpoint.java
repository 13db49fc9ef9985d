package dev.myelin.server.api.client.account;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.handler.device.DeviceHandler;
import dev.myelin.storage.account.AccessTokenStore;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /_matrix/client/v3/logout} (this device) and {@code /logout/all} (every device).
 * Logging out deletes the device along with its tokens and keys, as the spec asks. Any body is
 * ignored.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3logout">spec</a>
 */
public final class LogoutEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    /** Logs out the requesting device. */
    public static final EndpointSpec<NoBody, EmptyResponse> SPEC =
            EndpointSpec.post("/_matrix/client/v3/logout", NoBody.class, EmptyResponse.class);
    /** Logs out every device of the user. */
    public static final EndpointSpec<NoBody, EmptyResponse> SPEC_ALL =
            EndpointSpec.post("/_matrix/client/v3/logout/all", NoBody.class, EmptyResponse.class);

    private final AccessTokenStore tokens;
    private final DeviceHandler devices;
    private final boolean all;

    public LogoutEndpoint(AccessTokenStore tokens, DeviceHandler devices, boolean all) {
        super(spec(all));
        this.tokens = tokens;
        this.devices = devices;
        this.all = all;
    }

    /** The definition of {@code /logout/all} when {@code all}, else of {@code /logout}. */
    public static EndpointSpec<NoBody, EmptyResponse> spec(boolean all) {
        return all ? SPEC_ALL : SPEC;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        Requester requester = request.requireRequester();
        if (all) {
            tokens.deleteForUser(requester.userId());
            devices.deleteAllExcept(requester.userId(), Optional.empty());
        } else {
            request.accessToken().ifPresent(tokens::delete);
            requester.deviceId().ifPresent(d -> devices.delete(requester.userId(), List.of(d)));
        }
        return EmptyResponse.INSTANCE;
    }
}
