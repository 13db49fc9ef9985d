package dev.myelin.server.api.client.threepid;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.threepid.ThreePidInput;
import dev.myelin.server.handler.threepid.ThreePids;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v3/account/3pid/bind} (and the {@code unstable} path older clients
 * use): binds a 3PID that the identity server validated to the account there, with the user's
 * {@code id_access_token}. The server remembers the binding, so that removing the 3PID or
 * deactivating the account unbinds it.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3account3pidbind">spec</a>
 */
public final class BindThreePidEndpoint extends JsonEndpoint<BindThreePidEndpoint.Request, EmptyResponse> {
    /** The identity server, its access token, and its validation session. */
    public record Request(
            @Nullable String clientSecret,
            @Nullable String idAccessToken,
            @Nullable String idServer,
            @Nullable String sid) {}

    private final ThreePids threePids;

    /** @param version {@code v3}, or {@code unstable} for the older path */
    public BindThreePidEndpoint(String version, ThreePids threePids) {
        super(EndpointSpec.post(
                "/_matrix/client/" + version + "/account/3pid/bind", Request.class, EmptyResponse.class));
        this.threePids = threePids;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        var user = request.requireRequester().userId();
        String secret = ThreePidInput.clientSecret(body.clientSecret());
        String sid = ThreePidInput.sid(body.sid());
        String idServer = ThreePidInput.idServer(body.idServer());
        if (body.idAccessToken() == null) {
            throw MatrixException.missingParam("id_access_token");
        }
        threePids.bind(user, idServer, body.idAccessToken(), sid, secret);
        return EmptyResponse.INSTANCE;
    }
}
