package dev.myelin.server.api.client.filter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.storage.account.FilterStore;

/**
 * {@code GET /_matrix/client/v3/user/{userId}/filter/{filterId}}: a stored filter, as uploaded
 * (so the answer is the JSON object the client gave, not a record).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3useruseridfilterfilterid">spec</a>
 */
public final class GetFilterEndpoint extends JsonEndpoint<NoBody, ObjectNode> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, ObjectNode> SPEC =
            EndpointSpec.get("/_matrix/client/v3/user/{userId}/filter/{filterId}", ObjectNode.class);

    private final FilterStore filters;

    public GetFilterEndpoint(FilterStore filters) {
        super(SPEC);
        this.filters = filters;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, NoBody body) {
        UserId owner = PathParams.userId(request);
        if (!owner.equals(request.requireRequester().userId())) {
            throw MatrixException.forbidden("Cannot get filters for other users");
        }
        long id;
        try {
            id = Long.parseLong(request.pathParam("filterId"));
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("filterId", "must be a filter id");
        }
        return filters.get(owner, id).orElseThrow(() -> MatrixException.notFound("No such filter"));
    }
}
