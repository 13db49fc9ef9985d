package dev.myelin.server.api.client.account;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.account.AccountHandler;
import java.util.Optional;

/**
 * {@code GET /_matrix/client/v3/register/available}: whether a username can be registered.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3registeravailable">spec</a>
 */
public final class RegisterAvailableEndpoint implements Endpoint {
    private final AccountHandler accounts;

    public RegisterAvailableEndpoint(AccountHandler accounts) {
        this.accounts = accounts;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/register/available";
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
        UserId user = accounts.validateNewUsername(request.requireQueryParam("username"));
        if (!accounts.isAvailable(user)) {
            throw new MatrixException(400, ErrorCode.of("M_USER_IN_USE"), "User ID already taken");
        }
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put("available", true));
    }
}
