package dev.myelin.server.api.client.threepid;

import com.fasterxml.jackson.annotation.JsonAlias;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.auth.AuthenticationData;
import dev.myelin.server.handler.threepid.ThreePidInput;
import dev.myelin.server.handler.threepid.ThreePids;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v3/account/3pid} (deprecated): adds the address that a validation
 * session of this server proved, named by {@code three_pid_creds} (or the older {@code
 * threePidCreds}), without user-interactive auth, as Synapse still accepts it. {@code bind} is
 * ignored: the spec removed binding through this endpoint.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3account3pid">spec</a>
 */
public final class LegacyAddThreePidEndpoint extends JsonEndpoint<LegacyAddThreePidEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC =
            EndpointSpec.post("/_matrix/client/v3/account/3pid", Request.class, EmptyResponse.class);

    /** The validation session. */
    public record Request(
            @JsonAlias("threePidCreds") AuthenticationData.@Nullable ThreePidCredentials threePidCreds,
            @Nullable Boolean bind) {}

    private final ThreePids threePids;
    private final boolean changesEnabled;

    /** @param changesEnabled {@code enable_3pid_changes} */
    public LegacyAddThreePidEndpoint(ThreePids threePids, boolean changesEnabled) {
        super(SPEC);
        this.threePids = threePids;
        this.changesEnabled = changesEnabled;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        var user = request.requireRequester().userId();
        if (!changesEnabled) {
            throw new MatrixException(400, ErrorCode.FORBIDDEN, "3PID changes are disabled on this server");
        }
        var creds = body.threePidCreds();
        if (creds == null) {
            throw MatrixException.missingParam("three_pid_creds");
        }
        threePids.add(user, ThreePidInput.sid(creds.sid()), ThreePidInput.clientSecret(creds.clientSecret()));
        return EmptyResponse.INSTANCE;
    }
}
