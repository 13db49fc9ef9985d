package dev.myelin.server.api.client.account;

import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.config.AppServiceRegistration;
import dev.myelin.server.handler.RequestChecks;
import dev.myelin.server.handler.account.AccountHandler;
import dev.myelin.server.handler.appservice.AppServices;
import dev.myelin.server.handler.auth.AuthenticationData;
import dev.myelin.server.handler.auth.RegistrationTokens;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import dev.myelin.server.handler.guest.GuestRegistration;
import dev.myelin.server.handler.threepid.EmailIdentityStage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v3/register}: open registration through the {@code m.login.dummy}
 * UIA stage, or the {@code m.login.email.identity} one when the server validates email addresses
 * (the only one with {@code registrations_require_3pid}), when {@code enable_registration} is on;
 * guest accounts with {@code kind=guest} and their upgrade with {@code guest_access_token} through
 * {@link GuestRegistration}. The
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
            .optionalAuth()
            .rateLimited("registration");

    /** The registration type of application services' users ({@code type} in the body, no UIA). */
    public static final String APPLICATION_SERVICE = "m.login.application_service";

    /**
     * The account to create (a generated localpart when {@code username} is absent), its
     * password, the device to log in as unless {@code inhibit_login}, and the auth stage.
     */
    public record Request(
            @Nullable String type,
            @Nullable String username,
            @Nullable String password,
            @Nullable String deviceId,
            @Nullable String initialDeviceDisplayName,
            @Nullable Boolean inhibitLogin,
            @Nullable Boolean refreshToken,
            @Nullable AuthenticationData auth,
            @Nullable String guestAccessToken) {
        public Request {
            // refused before the account is created, not when its first device is
            RequestChecks.storableText(initialDeviceDisplayName, "initial_device_display_name");
        }

        /** An application service's registration of {@code username}, a user of its namespace. */
        public static Request appService(String username) {
            return new Request(APPLICATION_SERVICE, username, null, null, null, Boolean.TRUE, null, null, null);
        }

        /** A registration of {@code username} through the {@code m.login.dummy} stage. */
        public static Request dummy(String username, String password) {
            return new Request(
                    null,
                    username,
                    password,
                    null,
                    null,
                    null,
                    null,
                    new AuthenticationData(UserInteractiveAuth.DUMMY, null, null, null, null, null, null),
                    null);
        }
    }

    private final AccountHandler accounts;
    private final UserInteractiveAuth uia;
    private final Clock clock;
    private final boolean enabled;
    private final AppServices appServices;
    private final Optional<RegistrationTokens> requiredTokens;
    private final GuestRegistration guests;
    private final Optional<EmailIdentityStage> emailStage;
    private final boolean requireEmail;

    /**
     * @param requiredTokens the token stage every registration must pass, when tokens are required
     * @param guests registers and upgrades guest accounts
     * @param emailStage the {@code m.login.email.identity} stage, offered as a flow of its own when
     *     the server validates email addresses
     * @param requireEmail {@code registrations_require_3pid} lists email: the email flow is the only one
     */
    public RegisterEndpoint(
            AccountHandler accounts,
            UserInteractiveAuth uia,
            Clock clock,
            boolean enabled,
            AppServices appServices,
            Optional<RegistrationTokens> requiredTokens,
            GuestRegistration guests,
            Optional<EmailIdentityStage> emailStage,
            boolean requireEmail) {
        super(SPEC);
        this.guests = guests;
        this.emailStage = emailStage.filter(EmailIdentityStage::offered);
        this.requireEmail = requireEmail;
        this.requiredTokens = requiredTokens;
        this.appServices = appServices;
        this.accounts = accounts;
        this.uia = uia;
        this.clock = clock;
        this.enabled = enabled;
    }

    @Override
    protected LoginResponse handle(MatrixRequest request, Request body) {
        String kind = request.queryParam("kind").orElse("user");
        if (kind.equals("guest")) {
            return LoginResponse.of(
                    guests.register(
                            Optional.ofNullable(body.deviceId()), Optional.ofNullable(body.initialDeviceDisplayName())),
                    clock);
        }
        if (!kind.equals("user")) {
            throw MatrixException.invalidParam("kind", "must be 'user' or 'guest'");
        }
        boolean byAppService = request.requester().map(r -> r.isAppService()).orElse(false);
        if (APPLICATION_SERVICE.equals(body.type()) || byAppService) {
            return registerForAppService(request, body);
        }
        if (!enabled) {
            throw MatrixException.forbidden("Registration has been disabled");
        }
        // Validate what can be validated before the auth dance, as clients expect early errors;
        // the account a retried registration created is not "in use" by someone else.
        Optional<UserId> created =
                uia.createdAccount(body.auth() == null ? null : body.auth().session());
        // a retried upgrade whose session completed already logs in to the account it upgraded
        Optional<UserId> upgraded = body.guestAccessToken() == null || created.isPresent()
                ? Optional.empty()
                : Optional.of(guests.guestToUpgrade(body.guestAccessToken(), Optional.ofNullable(body.username())));
        if (body.username() != null && upgraded.isEmpty()) {
            UserId wanted = accounts.validateNewUsername(body.username());
            checkNotReserved(wanted);
            checkAvailable(wanted, created);
        }
        UserInteractiveAuth.Authorised<Request> authorised =
                uia.authorise(request, body, body.auth(), flows(), Optional.empty(), stages());
        Request registration = authorised.body();
        UserId user = uia.createdAccount(authorised.session()).orElse(null);
        if (user == null) {
            String proving = authorised.session();
            emailStage.ifPresent(stage -> stage.checkUnused(proving));
            if (registration.password() == null) {
                throw MatrixException.missingParam("password");
            }
            if (upgraded.isPresent()) {
                user = upgraded.get();
                guests.upgrade(user, registration.password());
            } else if (registration.username() == null) {
                user = accounts.generateUserId();
            } else {
                user = accounts.validateNewUsername(registration.username());
                checkNotReserved(user);
                checkAvailable(user, Optional.empty());
            }
            if (upgraded.isEmpty()) {
                accounts.createAccount(user, Optional.of(registration.password()), false);
            }
            uia.rememberCreatedAccount(authorised.session(), user);
            UserId newAccount = user;
            emailStage.ifPresent(stage -> stage.registered(proving, newAccount));
            String session = authorised.session();
            requiredTokens.ifPresent(tokens -> tokens.registered(session));
        }
        return loggedIn(user, registration);
    }

    /**
     * The registration flows: the dummy stage (after a registration token when tokens are
     * required), and the email stage as a flow of its own when email is validated here, as
     * Synapse offers them; only flows with the email stage when {@code registrations_require_3pid}
     * asks for email.
     */
    private List<List<String>> flows() {
        List<String> token = requiredTokens.isPresent() ? List.of(RegistrationTokens.STAGE) : List.of();
        List<String> email = new java.util.ArrayList<>(token);
        email.add(EmailIdentityStage.TYPE);
        List<String> dummy = new java.util.ArrayList<>(token);
        dummy.add(UserInteractiveAuth.DUMMY);
        if (requireEmail) {
            return List.of(email);
        }
        return emailStage.isPresent() ? List.of(dummy, email) : List.of(dummy);
    }

    private Map<String, UserInteractiveAuth.Stage> stages() {
        Map<String, UserInteractiveAuth.Stage> stages = new java.util.HashMap<>();
        requiredTokens.ifPresent(tokens -> stages.put(RegistrationTokens.STAGE, tokens));
        emailStage.ifPresent(stage -> stages.put(EmailIdentityStage.TYPE, stage));
        return stages;
    }

    /** The new account's answer: its id alone with {@code inhibit_login}, else a device and tokens. */
    private LoginResponse loggedIn(UserId user, Request registration) {
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

    /**
     * An application service creates a user of its namespace: no UIA and no password, open even
     * when {@code enable_registration} is off, as the Application Service API requires.
     *
     * @see <a href="https://spec.matrix.org/v1.19/application-service-api/#server-admin-style-permissions">Server
     *     admin style permissions</a>
     */
    private LoginResponse registerForAppService(MatrixRequest request, Request body) {
        Requester requester = request.requester().orElse(null);
        if (requester == null || requester.appService().isEmpty()) {
            throw new MatrixException(
                    401, ErrorCode.MISSING_TOKEN, "m.login.application_service needs an application service's token");
        }
        if (!APPLICATION_SERVICE.equals(body.type())) {
            throw MatrixException.invalidParam("type", "an application service registers with " + APPLICATION_SERVICE);
        }
        if (body.username() == null) {
            throw MatrixException.missingParam("username");
        }
        AppServiceRegistration service =
                appServices.byId(requester.appService().get()).orElseThrow();
        UserId user = accounts.validateNewUsername(body.username(), true);
        if (!appServices.mayActAs(service, user)) {
            throw new MatrixException(
                    400, ErrorCode.EXCLUSIVE, "Invalid user localpart for this application service: " + user);
        }
        if (appServices
                .exclusiveOwnerOfUser(user)
                .filter(owner -> !owner.id().equals(service.id()))
                .isPresent()) {
            throw new MatrixException(
                    400, ErrorCode.EXCLUSIVE, "This user ID is reserved by another application service: " + user);
        }
        checkAvailable(user, Optional.empty());
        accounts.createAccount(user, Optional.empty(), false);
        return loggedIn(user, body);
    }

    private void checkNotReserved(UserId user) {
        if (appServices.exclusiveOwnerOfUser(user).isPresent()) {
            throw new MatrixException(400, ErrorCode.EXCLUSIVE, "This user ID is reserved by an application service");
        }
    }

    private void checkAvailable(UserId user, Optional<UserId> createdBySession) {
        if (!createdBySession.equals(Optional.of(user)) && !accounts.isAvailable(user)) {
            throw new MatrixException(400, ErrorCode.USER_IN_USE, "User ID already taken");
        }
    }
}
