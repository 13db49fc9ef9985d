package dev.myelin.server.api.client.account;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.handler.account.AccountLifecycle;
import dev.myelin.server.handler.auth.AuthenticationData;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import dev.myelin.server.handler.threepid.EmailIdentityStage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v3/account/password}: a new password, after user-interactive auth
 * with the current one. {@code logout_devices} (default true) logs out every other device; the
 * requesting one stays logged in. Without an access token it is a password reset through the
 * {@code m.login.email.identity} stage, when the server validates email addresses (401 {@code
 * M_MISSING_TOKEN} otherwise).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3accountpassword">spec</a>
 */
public final class ChangePasswordEndpoint extends JsonEndpoint<ChangePasswordEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC = EndpointSpec.post(
                    "/_matrix/client/v3/account/password", Request.class, EmptyResponse.class)
            .optionalAuth();

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

    private static final List<List<String>> RESET_FLOWS = List.of(List.of(EmailIdentityStage.TYPE));

    private final AccountLifecycle accounts;
    private final UserInteractiveAuth uia;
    private final Optional<EmailIdentityStage> emailStage;

    /** @param emailStage the email stage of a password reset without an access token, when email is validated here */
    public ChangePasswordEndpoint(
            AccountLifecycle accounts, UserInteractiveAuth uia, Optional<EmailIdentityStage> emailStage) {
        super(SPEC);
        this.emailStage = emailStage.filter(EmailIdentityStage::offered);
        this.accounts = accounts;
        this.uia = uia;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        if (request.requester().isEmpty()) {
            return reset(request, body);
        }
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

    /** A password reset: the email stage proves an address of the account, whose every device is logged out by default. */
    private EmptyResponse reset(MatrixRequest request, Request body) {
        EmailIdentityStage stage = emailStage.orElseThrow(MatrixException::missingToken);
        UserInteractiveAuth.Authorised<Request> authorised = uia.authorise(
                request, body, body.auth(), RESET_FLOWS, Optional.empty(), Map.of(EmailIdentityStage.TYPE, stage));
        Request change = authorised.body();
        accounts.changePassword(
                stage.accountOf(authorised.session()),
                change.newPassword(),
                !Boolean.FALSE.equals(change.logoutDevices()),
                Optional.empty());
        return EmptyResponse.INSTANCE;
    }
}
