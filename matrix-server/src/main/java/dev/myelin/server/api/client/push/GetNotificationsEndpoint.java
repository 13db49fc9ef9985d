package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /_matrix/client/v3/notifications}: the events the user was notified about. This
 * server does not record notifications (counts are computed when {@code /sync} asks), so the list
 * is always empty and has no {@code next_token}; the parameters are still validated.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3notifications">spec</a>
 */
public final class GetNotificationsEndpoint extends JsonEndpoint<NoBody, GetNotificationsEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/v3/notifications", Response.class);

    /**
     * The notifications (each carries a whole event, so they stay JSON objects) and where the
     * next page starts.
     */
    public record Response(
            List<ObjectNode> notifications, @Nullable String nextToken) {}

    public GetNotificationsEndpoint() {
        super(SPEC);
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        request.requireRequester();
        request.queryParam("limit").ifPresent(limit -> {
            if (!limit.matches("[0-9]{1,9}")) {
                throw MatrixException.invalidParam("limit", "must be a non-negative integer");
            }
        });
        return new Response(List.of(), null);
    }
}
