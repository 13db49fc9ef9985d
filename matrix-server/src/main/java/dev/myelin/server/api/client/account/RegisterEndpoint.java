package dev.myelin.server.api.client.account;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.JsonFields;
import dev.myelin.server.handler.account.AccountHandler;
import dev.myelin.server.handler.account.LoginResult;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /_matrix/client/v3/register}: open registration through the {@code m.login.dummy}
 * UIA stage, when {@code enable_registration} is on. Guest registration is not offered.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3register">spec</a>
 */
public final class RegisterEndpoint implements Endpoint {
    private static final List<List<String>> FLOWS = List.of(List.of(UserInteractiveAuth.DUMMY));

    private final AccountHandler accounts;
    private final UserInteractiveAuth uia;
    private final Clock clock;
    private final boolean enabled;

    public RegisterEndpoint(AccountHandler accounts, UserInteractiveAuth uia, Clock clock, boolean enabled) {
        this.accounts = accounts;
        this.uia = uia;
        this.clock = clock;
        this.enabled = enabled;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/register";
    }

    @Override
    public AuthRequirement auth() {
        return AuthRequirement.NONE;
    }

    @Override
    public Optional<String> rateLimitAction() {
        return Optional.of("registration");
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        String kind = request.queryParam("kind").orElse("user");
        if (kind.equals("guest")) {
            throw new MatrixException(403, ErrorCode.of("M_GUEST_ACCESS_FORBIDDEN"), "Guest access is disabled");
        }
        if (!kind.equals("user")) {
            throw MatrixException.invalidParam("kind", "must be 'user' or 'guest'");
        }
        if (!enabled) {
            throw MatrixException.forbidden("Registration has been disabled");
        }
        ObjectNode body = request.jsonObject();
        Optional<String> username = JsonFields.optionalString(body, "username");
        Optional<String> password = JsonFields.optionalString(body, "password");
        Optional<String> deviceId = JsonFields.optionalString(body, "device_id");
        Optional<String> displayName = JsonFields.optionalString(body, "initial_device_display_name");
        boolean inhibitLogin = JsonFields.optionalBoolean(body, "inhibit_login", false);
        boolean refresh = JsonFields.optionalBoolean(body, "refresh_token", false);
        // Validate what can be validated before the auth dance, as clients expect early errors.
        UserId user = username.map(accounts::validateNewUsername).orElse(null);
        if (user != null && !accounts.isAvailable(user)) {
            throw new MatrixException(400, ErrorCode.of("M_USER_IN_USE"), "User ID already taken");
        }
        try {
            uia.authorise(body, FLOWS, Optional.empty());
        } catch (UserInteractiveAuth.AuthRequired e) {
            return MatrixResponse.json(401, e.body());
        }
        if (password.isEmpty()) {
            throw MatrixException.missingParam("password");
        }
        if (user == null) {
            user = accounts.generateUserId();
        }
        accounts.createAccount(user, password, false);
        if (inhibitLogin) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("user_id", user.toString());
            out.put("home_server", accounts.serverName().value());
            return MatrixResponse.ok(out);
        }
        LoginResult result = accounts.loginDevice(user, deviceId, displayName, refresh);
        return MatrixResponse.ok(result.toJson(clock));
    }
}
