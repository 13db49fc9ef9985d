package dev.myelin.server.api.client.account;

import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.RequestChecks;
import dev.myelin.server.handler.account.AccountHandler;
import dev.myelin.server.handler.auth.AuthenticationData;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v3/register}: open registration through the {@code m.login.dummy}
 * UIA stage, when {@code enable_registration} is on. Guest registration is not offered.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3register">spec</a>
 */
public final class RegisterEndpoint extends JsonEndpoint<RegisterEndpoint.Request, LoginResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, LoginResponse> SPEC = EndpointSpec.post(
                    "/_matrix/client/v3/register", Request.class, LoginResponse.class)
            .noAuth()
            .rateLimited("registration");

    private static final List<List<String>> FLOWS = List.of(List.of(UserInteractiveAuth.DUMMY));

    /**
     * The account to create (a generated localpart when {@code username} is absent), its
     * password, the device to log in as unless {@code inhibit_login}, and the auth stage.
     */
    public record Request(
            @Nullable String username,
            @Nullable String password,
            @Nullable String deviceId,
            @Nullable String initialDeviceDisplayName,
            @Nullable Boolean inhibitLogin,
            @Nullable Boolean refreshToken,
            @Nullable AuthenticationData auth) {
        public Request {
            // refused before the account is created, not when its first device is
            RequestChecks.storableText(initialDeviceDisplayName, "initial_device_display_name");
        }

        /** A registration of {@code username} through the {@code m.login.dummy} stage. */
        public static Request dummy(String username, String password) {
            return new Request(
                    username,
                    password,
                    null,
                    null,
                    null,
                    null,
                    new AuthenticationData(UserInteractiveAuth.DUMMY, null, null, null, null));
        }
    }

    private final AccountHandler accounts;
    private final UserInteractiveAuth uia;
    private final Clock clock;
    private final boolean enabled;

    public RegisterEndpoint(AccountHandler accounts, UserInteractiveAuth uia, Clock clock, boolean enabled) {
        super(SPEC);
        this.accounts = accounts;
        this.uia = uia;
        this.clock = clock;
        this.enabled = enabled;
    }

    @Override
    protected LoginResponse handle(MatrixRequest request, Request body) {
        String kind = request.queryParam("kind").orElse("user");
        if (kind.equals("guest")) {
            throw new MatrixException(403, ErrorCode.GUEST_ACCESS_FORBIDDEN, "Guest access is disabled");
        }
        if (!kind.equals("user")) {
            throw MatrixException.invalidParam("kind", "must be 'user' or 'guest'");
        }
        if (!enabled) {
            throw MatrixException.forbidden("Registration has been disabled");
        }
        // Validate what can be validated before the auth dance, as clients expect early errors.
        UserId user = body.username() == null ? null : accounts.validateNewUsername(body.username());
        if (user != null && !accounts.isAvailable(user)) {
            throw new MatrixException(400, ErrorCode.USER_IN_USE, "User ID already taken");
        }
        uia.authorise(body.auth(), FLOWS, Optional.empty());
        if (body.password() == null) {
            throw MatrixException.missingParam("password");
        }
        if (user == null) {
            user = accounts.generateUserId();
        }
        accounts.createAccount(user, Optional.of(body.password()), false);
        if (Boolean.TRUE.equals(body.inhibitLogin())) {
            return new LoginResponse(
                    user.toString(), null, null, accounts.serverName().value(), null, null);
        }
        return LoginResponse.of(
                accounts.loginDevice(
                        user,
                        Optional.ofNullable(body.deviceId()),
                        Optional.ofNullable(body.initialDeviceDisplayName()),
                        Boolean.TRUE.equals(body.refreshToken())),
                clock);
    }
}
