package dev.myelin.server.api.client.account;

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
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import java.util.Optional;

/**
 * {@code POST /_matrix/client/v3/login} with {@code m.login.password}, by user id or localpart.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3login">spec</a>
 */
public final class LoginEndpoint implements Endpoint {
    private final AccountHandler accounts;
    private final UserInteractiveAuth uia;
    private final Clock clock;

    public LoginEndpoint(AccountHandler accounts, UserInteractiveAuth uia, Clock clock) {
        this.accounts = accounts;
        this.uia = uia;
        this.clock = clock;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/login";
    }

    @Override
    public AuthRequirement auth() {
        return AuthRequirement.NONE;
    }

    @Override
    public Optional<String> rateLimitAction() {
        return Optional.of("login");
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        ObjectNode body = request.jsonObject();
        String type = JsonFields.requireString(body, "type");
        if (!type.equals(UserInteractiveAuth.PASSWORD)) {
            throw new MatrixException(400, ErrorCode.of("M_UNKNOWN"), "Unknown login type " + type);
        }
        UserId user = uia.claimedUser(body).orElseThrow(() -> MatrixException.missingParam("identifier"));
        String password = JsonFields.requireString(body, "password");
        accounts.checkPasswordLogin(user, password);
        return MatrixResponse.ok(accounts.loginDevice(user,
                JsonFields.optionalString(body, "device_id"),
                JsonFields.optionalString(body, "initial_device_display_name"),
                JsonFields.optionalBoolean(body, "refresh_token", false)).toJson(clock));
    }
}
