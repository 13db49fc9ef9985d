package dev.myelin.server.api.client.account;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.handler.account.AccountLifecycle;
import dev.myelin.server.handler.auth.AuthenticationData;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v3/account/password}: a new password, after user-interactive auth
 * with the current one. {@code logout_devices} (default true) logs out every other device; the
 * requesting one stays logged in. Without an access token the spec's only flow is an email
 * reset, which this server does not offer, so a token is required.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3accountpassword">spec</a>
 */
public final class ChangePasswordEndpoint extends JsonEndpoint<ChangePasswordEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC =
            EndpointSpec.post("/_matrix/client/v3/account/password", Request.class, EmptyResponse.class);

    private static final List<List<String>> FLOWS = List.of(List.of(UserInteractiveAuth.PASSWORD));

    /**
     * The new password, checked when the body is read so that a malformed request never uses up
     * a completed auth session.
     */
    public record Request(
            String newPassword,
            @Nullable Boolean logoutDevices,
            @Nullable AuthenticationData auth) {
        public Request {
            EndpointJson.required(newPassword, "new_password");
        }
    }

    private final AccountLifecycle accounts;
    private final UserInteractiveAuth uia;

    public ChangePasswordEndpoint(AccountLifecycle accounts, UserInteractiveAuth uia) {
        super(SPEC);
        this.accounts = accounts;
        this.uia = uia;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        Requester requester = request.requireRequester();
        Request change = uia.authorise(request, body, body.auth(), FLOWS, Optional.of(requester.userId()))
                .body();
        accounts.changePassword(
                requester.userId(),
                change.newPassword(),
                !Boolean.FALSE.equals(change.logoutDevices()),
                requester.deviceId());
        return EmptyResponse.INSTANCE;
    }
}
