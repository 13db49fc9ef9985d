package dev.myelin.server.api.client.account;

import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.config.AppServiceRegistration;
import dev.myelin.server.handler.RequestChecks;
import dev.myelin.server.handler.account.AccountHandler;
import dev.myelin.server.handler.appservice.AppServices;
import dev.myelin.server.handler.auth.LoginTokens;
import dev.myelin.server.handler.auth.UserIdentifier;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v3/login} with {@code m.login.password}, by user id or localpart, or
 * by a 3PID of the account ({@code m.id.thirdparty}, or the legacy top-level {@code medium} and
 * {@code address}); with {@code m.login.token} and a token from {@code /login/get_token}; or as an
 * application service's user with {@code m.login.application_service}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3login">spec</a>
 */
public final class LoginEndpoint extends JsonEndpoint<LoginEndpoint.Request, LoginResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, LoginResponse> SPEC = EndpointSpec.post(
                    "/_matrix/client/v3/login", Request.class, LoginResponse.class)
            .noAuth()
            .rateLimited("login");

    /**
     * A login: who ({@code identifier}, or the legacy {@code user}), the password or login token,
     * and the device to log in as.
     */
    public record Request(
            String type,
            @Nullable UserIdentifier identifier,
            @Nullable String user,
            @Nullable String password,
            @Nullable String token,
            @Nullable String deviceId,
            @Nullable String initialDeviceDisplayName,
            @Nullable Boolean refreshToken,
            @Nullable String medium,
            @Nullable String address) {
        public Request {
            EndpointJson.required(type, "type");
            if (!type.equals(UserInteractiveAuth.PASSWORD)
                    && !type.equals(TOKEN)
                    && !type.equals(RegisterEndpoint.APPLICATION_SERVICE)) {
                throw new MatrixException(400, ErrorCode.UNKNOWN, "Unknown login type " + type);
            }
            RequestChecks.storableText(initialDeviceDisplayName, "initial_device_display_name");
        }

        /** A password login of {@code user} (a user id or localpart). */
        public static Request password(String user, String password) {
            return new Request(
                    UserInteractiveAuth.PASSWORD,
                    UserIdentifier.user(user),
                    null,
                    password,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
        }
    }

    /** The login type of a token from {@code /login/get_token}. */
    public static final String TOKEN = "m.login.token";

    private final AccountHandler accounts;
    private final UserInteractiveAuth uia;
    private final Clock clock;
    private final AppServices appServices;
    private final LoginTokens loginTokens;

    /** {@code appServices} may log in as their users with {@code m.login.application_service}. */
    public LoginEndpoint(
            AccountHandler accounts,
            UserInteractiveAuth uia,
            Clock clock,
            AppServices appServices,
            LoginTokens loginTokens) {
        super(SPEC);
        this.appServices = appServices;
        this.loginTokens = loginTokens;
        this.accounts = accounts;
        this.uia = uia;
        this.clock = clock;
    }

    @Override
    protected LoginResponse handle(MatrixRequest request, Request body) {
        UserId user;
        if (body.type().equals(TOKEN)) {
            // the token names the user; an identifier, if any, is not needed
            user = loginTokens.redeem(EndpointJson.required(body.token(), "token"));
            if (!accounts.canLogIn(user)) {
                throw MatrixException.forbidden("This account has been deactivated");
            }
            return login(user, body);
        }
        UserIdentifier identifier = body.identifier();
        if (identifier == null && body.medium() != null && body.address() != null) {
            // the legacy top-level medium and address of a 3PID login
            identifier = UserIdentifier.thirdParty(body.medium(), body.address());
        }
        user = uia.claimedUser(identifier, body.user()).orElseThrow(() -> MatrixException.missingParam("identifier"));
        if (body.type().equals(RegisterEndpoint.APPLICATION_SERVICE)) {
            checkAppServiceLogin(request, user);
        } else {
            String password = EndpointJson.required(body.password(), "password");
            accounts.checkPasswordLogin(user, password);
        }
        return login(user, body);
    }

    private LoginResponse login(UserId user, Request body) {
        return LoginResponse.of(
                accounts.loginDevice(
                        user,
                        Optional.ofNullable(body.deviceId()),
                        Optional.ofNullable(body.initialDeviceDisplayName()),
                        Boolean.TRUE.equals(body.refreshToken())),
                clock);
    }

    /**
     * An application service logs in as a registered user of its namespaces, with its {@code
     * as_token} as the request's access token.
     *
     * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#appservice-login">Appservice Login</a>
     */
    private void checkAppServiceLogin(MatrixRequest request, UserId user) {
        AppServiceRegistration service = request.accessToken()
                .flatMap(appServices::byToken)
                .orElseThrow(() -> MatrixException.forbidden(
                        RegisterEndpoint.APPLICATION_SERVICE + " needs an application service's token"));
        if (!appServices.mayActAs(service, user)) {
            throw new MatrixException(
                    400,
                    ErrorCode.EXCLUSIVE,
                    user + " is not in the namespaces of application service " + service.id());
        }
        if (!accounts.canLogIn(user)) {
            throw MatrixException.forbidden(user + " is not registered or is deactivated");
        }
    }
}
