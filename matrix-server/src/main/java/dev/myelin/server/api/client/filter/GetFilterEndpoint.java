package dev.myelin.server.api.client.filter;

import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.storage.account.FilterStore;

/**
 * {@code GET /_matrix/client/v3/user/{userId}/filter/{filterId}}: a stored filter, as uploaded.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3useruseridfilterfilterid">spec</a>
 */
public final class GetFilterEndpoint implements Endpoint {
    private final FilterStore filters;

    public GetFilterEndpoint(FilterStore filters) {
        this.filters = filters;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/user/{userId}/filter/{filterId}";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
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
        return MatrixResponse.ok(filters.get(owner, id)
                .orElseThrow(() -> MatrixException.notFound("No such filter")));
    }
}
