package dev.myelin.server.api.client.userdirectory;

import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.userdirectory.UserDirectoryHandler;
import dev.myelin.server.handler.userdirectory.UserDirectoryResults;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v3/user_directory/search}: {@code search_term} (required) and
 * {@code limit} (default 10, at most {@value UserDirectoryHandler#MAX_LIMIT}); answers
 * {@code results} ({@code user_id}, {@code display_name} and {@code avatar_url} when set) and
 * {@code limited}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3user_directorysearch">spec</a>
 */
public final class UserDirectorySearchEndpoint
        extends JsonEndpoint<UserDirectorySearchEndpoint.Request, UserDirectoryResults> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, UserDirectoryResults> SPEC =
            EndpointSpec.post("/_matrix/client/v3/user_directory/search", Request.class, UserDirectoryResults.class);

    private static final int DEFAULT_LIMIT = 10;

    /**
     * A search.
     *
     * @param searchTerm what to look for in user ids and display names
     * @param limit the most results wanted; default 10
     */
    public record Request(String searchTerm, @Nullable Long limit) {
        /** Checks that the term is present and the limit not negative. */
        public Request {
            EndpointJson.required(searchTerm, "search_term");
            if (limit != null && limit < 0) {
                throw MatrixException.invalidParam("limit", "must not be negative");
            }
        }
    }

    private final UserDirectoryHandler directory;

    public UserDirectorySearchEndpoint(UserDirectoryHandler directory) {
        super(SPEC);
        this.directory = directory;
    }

    @Override
    protected UserDirectoryResults handle(MatrixRequest request, Request body) {
        var searcher = request.requireRequester().userId();
        long limit = body.limit() == null ? DEFAULT_LIMIT : body.limit();
        return directory.search(searcher, body.searchTerm(), (int) Math.min(limit, UserDirectoryHandler.MAX_LIMIT));
    }
}
