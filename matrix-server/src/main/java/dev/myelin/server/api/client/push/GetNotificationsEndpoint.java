package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;

/**
 * {@code GET /_matrix/client/v3/notifications}: the events the user was notified about. This
 * server does not record notifications (counts are computed when {@code /sync} asks), so the list
 * is always empty and has no {@code next_token}; the parameters are still validated.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3notifications">spec</a>
 */
public final class GetNotificationsEndpoint implements Endpoint {
    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/notifications";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        request.requireRequester();
        request.queryParam("limit").ifPresent(limit -> {
            if (!limit.matches("[0-9]{1,9}")) {
                throw MatrixException.invalidParam("limit", "must be a non-negative integer");
            }
        });
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("notifications");
        return MatrixResponse.ok(body);
    }
}
