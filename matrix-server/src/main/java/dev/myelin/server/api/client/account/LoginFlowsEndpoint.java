package dev.myelin.server.api.client.account;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;

/**
 * {@code GET /_matrix/client/v3/login}: the login types we accept.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3login">spec</a>
 */
public final class LoginFlowsEndpoint implements Endpoint {
    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
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
    public MatrixResponse handle(MatrixRequest request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("flows").addObject().put("type", "m.login.password");
        return MatrixResponse.ok(body);
    }
}
