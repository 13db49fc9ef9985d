package dev.myelin.server.api.client.threepid;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.threepid.ThreePidInput;
import dev.myelin.server.handler.threepid.ThreePids;

/**
 * {@code POST /_matrix/client/v3/account/3pid/unbind} (and the {@code unstable} path): unbinds a
 * 3PID from {@code id_server}, or from every identity server it was bound on through this server;
 * the account keeps it.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3account3pidunbind">spec</a>
 */
public final class UnbindThreePidEndpoint extends JsonEndpoint<ThreePidRequest, UnbindResult> {
    private final ThreePids threePids;

    /** @param version {@code v3}, or {@code unstable} for the older path */
    public UnbindThreePidEndpoint(String version, ThreePids threePids) {
        super(EndpointSpec.post(
                "/_matrix/client/" + version + "/account/3pid/unbind", ThreePidRequest.class, UnbindResult.class));
        this.threePids = threePids;
    }

    @Override
    protected UnbindResult handle(MatrixRequest request, ThreePidRequest body) {
        var user = request.requireRequester().userId();
        String medium = ThreePidInput.medium(body.medium());
        String address = ThreePidInput.address(medium, body.address());
        body.optionalIdServer().ifPresent(ThreePidInput::idServer);
        return UnbindResult.of(threePids.unbind(user, medium, address, body.optionalIdServer()));
    }
}
