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
 * UIA stage, when {@code enable_registration} is on. Guest registration is not offered. The
 * parameters of the request that started the auth session count when a later one sends only
 * {@code auth}, and retrying a completed registration logs in to the account it created rather
 * than creating another.
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
        // Validate what can be validated before the auth dance, as clients expect early errors;
        // the account a retried registration created is not "in use" by someone else.
        Optional<UserId> created =
                uia.createdAccount(body.auth() == null ? null : body.auth().session());
        if (body.username() != null) {
            checkAvailable(accounts.validateNewUsername(body.username()), created);
        }
        UserInteractiveAuth.Authorised<Request> authorised =
                uia.authorise(request, body, body.auth(), FLOWS, Optional.empty());
        Request registration = authorised.body();
        UserId user = uia.createdAccount(authorised.session()).orElse(null);
        if (user == null) {
            if (registration.password() == null) {
                throw MatrixException.missingParam("password");
            }
            if (registration.username() == null) {
                user = accounts.generateUserId();
            } else {
                user = accounts.validateNewUsername(registration.username());
                checkAvailable(user, Optional.empty());
            }
            accounts.createAccount(user, Optional.of(registration.password()), false);
            uia.rememberCreatedAccount(authorised.session(), user);
        }
        if (Boolean.TRUE.equals(registration.inhibitLogin())) {
            return new LoginResponse(
                    user.toString(), null, null, accounts.serverName().value(), null, null);
        }
        return LoginResponse.of(
                accounts.loginDevice(
                        user,
                        Optional.ofNullable(registration.deviceId()),
                        Optional.ofNullable(registration.initialDeviceDisplayName()),
                        Boolean.TRUE.equals(registration.refreshToken())),
                clock);
    }

    private void checkAvailable(UserId user, Optional<UserId> createdBySession) {
        if (!createdBySession.equals(Optional.of(user)) && !accounts.isAvailable(user)) {
            throw new MatrixException(400, ErrorCode.USER_IN_USE, "User ID already taken");
        }
    }
}
