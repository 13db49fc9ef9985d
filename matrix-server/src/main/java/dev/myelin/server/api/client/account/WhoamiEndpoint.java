package dev.myelin.server.api.client.account;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.http.server.Requester;

/**
 * {@code GET /_matrix/client/v3/account/whoami}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3accountwhoami">spec</a>
 */
public final class WhoamiEndpoint implements Endpoint {
    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/account/whoami";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        Requester requester = request.requireRequester();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("user_id", requester.userId().toString());
        requester.deviceId().ifPresent(d -> body.put("device_id", d.value()));
        body.put("is_guest", requester.guest());
        return MatrixResponse.ok(body);
    }
}
