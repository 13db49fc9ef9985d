package dev.myelin.server.api.client.filter;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.filter.FilterParser;
import dev.myelin.storage.account.FilterStore;

/**
 * {@code POST /_matrix/client/v3/user/{userId}/filter}: stores a validated filter for later syncs.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3useruseridfilter">spec</a>
 */
public final class CreateFilterEndpoint implements Endpoint {
    private final FilterStore filters;

    public CreateFilterEndpoint(FilterStore filters) {
        this.filters = filters;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/user/{userId}/filter";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        UserId owner = PathParams.userId(request);
        if (!owner.equals(request.requireRequester().userId())) {
            throw MatrixException.forbidden("Cannot create filters for other users");
        }
        ObjectNode body = request.jsonObject();
        FilterParser.parse(body);
        long id = filters.add(owner, body);
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put("filter_id", Long.toString(id)));
    }
}
