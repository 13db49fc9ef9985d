package dev.myelin.server.api.client.threepid;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.auth.AuthenticationData;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import dev.myelin.server.handler.threepid.ThreePidInput;
import dev.myelin.server.handler.threepid.ThreePids;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v3/account/3pid/add}: adds the address a validation session proved
 * to the account, after user-interactive auth with the account's password. 400 {@code
 * M_THREEPID_AUTH_FAILED} when the session is not validated, {@code M_THREEPID_IN_USE} when the
 * address belongs to another account.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3account3pidadd">spec</a>
 */
public final class AddThreePidEndpoint extends JsonEndpoint<AddThreePidEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC =
            EndpointSpec.post("/_matrix/client/v3/account/3pid/add", Request.class, EmptyResponse.class);

    private static final List<List<String>> FLOWS = List.of(List.of(UserInteractiveAuth.PASSWORD));

    /** The validation session, and the auth stage. */
    public record Request(
            @Nullable String clientSecret,
            @Nullable String sid,
            @Nullable AuthenticationData auth) {}

    private final ThreePids threePids;
    private final UserInteractiveAuth uia;
    private final boolean changesEnabled;

    /** @param changesEnabled {@code enable_3pid_changes} */
    public AddThreePidEndpoint(ThreePids threePids, UserInteractiveAuth uia, boolean changesEnabled) {
        super(SPEC);
        this.threePids = threePids;
        this.uia = uia;
        this.changesEnabled = changesEnabled;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        var user = request.requireRequester().userId();
        if (!changesEnabled) {
            throw new MatrixException(400, ErrorCode.FORBIDDEN, "3PID changes are disabled on this server");
        }
        // checked before the auth dance, so that a malformed request uses up no password attempt
        ThreePidInput.clientSecret(body.clientSecret());
        ThreePidInput.sid(body.sid());
        Request add = uia.authorise(request, body, body.auth(), FLOWS, Optional.of(user))
                .body();
        threePids.add(user, ThreePidInput.sid(add.sid()), ThreePidInput.clientSecret(add.clientSecret()));
        return EmptyResponse.INSTANCE;
    }
}
