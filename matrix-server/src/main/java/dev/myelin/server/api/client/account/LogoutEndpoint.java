package dev.myelin.server.api.client.account;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.http.server.Requester;
import dev.myelin.server.handler.device.DeviceHandler;
import dev.myelin.storage.account.AccessTokenStore;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /_matrix/client/v3/logout} (this device) and {@code /logout/all} (every device).
 * Logging out deletes the device along with its tokens and keys, as the spec asks.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3logout">spec</a>
 */
public final class LogoutEndpoint implements Endpoint {
    private final AccessTokenStore tokens;
    private final DeviceHandler devices;
    private final boolean all;

    public LogoutEndpoint(AccessTokenStore tokens, DeviceHandler devices, boolean all) {
        this.tokens = tokens;
        this.devices = devices;
        this.all = all;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return all ? "/_matrix/client/v3/logout/all" : "/_matrix/client/v3/logout";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        Requester requester = request.requireRequester();
        if (all) {
            tokens.deleteForUser(requester.userId());
            devices.deleteAllExcept(requester.userId(), Optional.empty());
        } else {
            request.accessToken().ifPresent(tokens::delete);
            requester.deviceId().ifPresent(d -> devices.delete(requester.userId(), List.of(d)));
        }
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
