package dev.myelin.server.api.client.filter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.filter.FilterParser;
import dev.myelin.storage.account.FilterStore;

/**
 * {@code POST /_matrix/client/v3/user/{userId}/filter}: stores a validated filter for later syncs.
 * The body stays a JSON object: the filter is stored as uploaded (so {@code GET} returns it
 * unchanged, unknown fields included) and {@link FilterParser} is the one reader of its fields.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3useruseridfilter">spec</a>
 */
public final class CreateFilterEndpoint extends JsonEndpoint<ObjectNode, CreateFilterEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ObjectNode, Response> SPEC =
            EndpointSpec.post("/_matrix/client/v3/user/{userId}/filter", ObjectNode.class, Response.class);

    /** The id to sync with. */
    public record Response(String filterId) {}

    private final FilterStore filters;

    public CreateFilterEndpoint(FilterStore filters) {
        super(SPEC);
        this.filters = filters;
    }

    @Override
    protected Response handle(MatrixRequest request, ObjectNode filter) {
        UserId owner = PathParams.userId(request);
        if (!owner.equals(request.requireRequester().userId())) {
            throw MatrixException.forbidden("Cannot create filters for other users");
        }
        FilterParser.parse(filter);
        return new Response(Long.toString(filters.add(owner, filter)));
    }
}
