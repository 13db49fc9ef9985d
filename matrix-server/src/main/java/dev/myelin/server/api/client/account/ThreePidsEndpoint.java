package dev.myelin.server.api.client.account;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;

/**
 * {@code GET /_matrix/client/v3/account/3pid}: the account's third-party ids. This server
 * binds none (the {@code m.3pid_changes} capability is off), so the list is always empty; clients'
 * settings screens still call it.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3account3pid">spec</a>
 */
public final class ThreePidsEndpoint implements Endpoint {
    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/account/3pid";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        request.requireRequester();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("threepids");
        return MatrixResponse.ok(body);
    }
}
