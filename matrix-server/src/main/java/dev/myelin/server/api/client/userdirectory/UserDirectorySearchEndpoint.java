package dev.myelin.server.api.client.userdirectory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.JsonFields;
import dev.myelin.server.handler.userdirectory.UserDirectoryHandler;

/**
 * {@code POST /_matrix/client/v3/user_directory/search}: {@code search_term} (required) and
 * {@code limit} (default 10, at most {@value UserDirectoryHandler#MAX_LIMIT}); answers
 * {@code results} ({@code user_id}, {@code display_name} and {@code avatar_url} when set) and
 * {@code limited}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3user_directorysearch">spec</a>
 */
public final class UserDirectorySearchEndpoint implements Endpoint {
    private static final int DEFAULT_LIMIT = 10;

    private final UserDirectoryHandler directory;

    public UserDirectorySearchEndpoint(UserDirectoryHandler directory) {
        this.directory = directory;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/user_directory/search";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var searcher = request.requireRequester().userId();
        ObjectNode body = request.jsonObject();
        String term = JsonFields.requireString(body, "search_term");
        long limit = JsonFields.optionalLong(body, "limit").orElse((long) DEFAULT_LIMIT);
        if (limit < 0) {
            throw MatrixException.invalidParam("limit", "must not be negative");
        }
        UserDirectoryHandler.Results found = directory.search(searcher, term,
                (int) Math.min(limit, UserDirectoryHandler.MAX_LIMIT));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("limited", found.limited());
        ArrayNode results = out.putArray("results");
        found.results().forEach(entry -> {
            ObjectNode result = results.addObject().put("user_id", entry.userId().toString());
            entry.displayName().ifPresent(name -> result.put("display_name", name));
            entry.avatarUrl().ifPresent(url -> result.put("avatar_url", url));
        });
        return MatrixResponse.ok(out);
    }
}
