package dev.myelin.server.api.client.threepid;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.threepid.ThreePidInput;
import dev.myelin.server.handler.threepid.ThreePids;

/**
 * {@code POST /_matrix/client/v3/account/3pid/delete}: removes a 3PID from the account, and
 * unbinds it from {@code id_server} or else from every identity server it was bound on through
 * this server.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3account3piddelete">spec</a>
 */
public final class DeleteThreePidEndpoint extends JsonEndpoint<ThreePidRequest, UnbindResult> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ThreePidRequest, UnbindResult> SPEC =
            EndpointSpec.post("/_matrix/client/v3/account/3pid/delete", ThreePidRequest.class, UnbindResult.class);

    private final ThreePids threePids;
    private final boolean changesEnabled;

    /** @param changesEnabled {@code enable_3pid_changes} */
    public DeleteThreePidEndpoint(ThreePids threePids, boolean changesEnabled) {
        super(SPEC);
        this.threePids = threePids;
        this.changesEnabled = changesEnabled;
    }

    @Override
    protected UnbindResult handle(MatrixRequest request, ThreePidRequest body) {
        var user = request.requireRequester().userId();
        if (!changesEnabled) {
            throw new MatrixException(400, ErrorCode.FORBIDDEN, "3PID changes are disabled on this server");
        }
        String medium = ThreePidInput.medium(body.medium());
        String address = ThreePidInput.address(medium, body.address());
        body.optionalIdServer().ifPresent(ThreePidInput::idServer);
        return UnbindResult.of(threePids.delete(user, medium, address, body.optionalIdServer()));
    }
}
