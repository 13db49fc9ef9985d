package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.storage.push.Pusher;
import dev.myelin.storage.push.PusherStore;

/**
 * {@code GET /_matrix/client/v3/pushers}: the user's pushers, as they were set.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3pushers">spec</a>
 */
public final class GetPushersEndpoint implements Endpoint {
    private final PusherStore store;

    public GetPushersEndpoint(PusherStore store) {
        this.store = store;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/pushers";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode pushers = body.putArray("pushers");
        store.forUser(request.requireRequester().userId()).stream().map(Pusher::json).forEach(pushers::add);
        return MatrixResponse.ok(body);
    }
}
