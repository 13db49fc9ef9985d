package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.push.NotificationList;
import dev.myelin.server.handler.room.ClientEvents;
import java.util.List;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /_matrix/client/v3/notifications}: the events the user was notified about, newest
 * first. {@code from} is the {@code next_token} of an earlier page, {@code limit} caps the page
 * (default {@link #DEFAULT_LIMIT}, at most {@link #MAX_LIMIT}), {@code only=highlight} keeps the
 * highlighted ones.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3notifications">spec</a>
 */
public final class GetNotificationsEndpoint extends JsonEndpoint<NoBody, GetNotificationsEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/v3/notifications", Response.class);

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;

    /**
     * The notifications (each carries a whole event, so they stay JSON objects) and where the
     * next page starts.
     */
    public record Response(
            List<ObjectNode> notifications, @Nullable String nextToken) {}

    private final NotificationList list;

    public GetNotificationsEndpoint(NotificationList list) {
        super(SPEC);
        this.list = list;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        ClientEvents.Viewer viewer = ClientEvents.Viewer.of(request.requireRequester());
        int limit = request.queryParam("limit")
                .map(value -> {
                    if (!value.matches("[0-9]{1,9}")) {
                        throw MatrixException.invalidParam("limit", "must be a non-negative integer");
                    }
                    return Math.min(Integer.parseInt(value), MAX_LIMIT);
                })
                .orElse(DEFAULT_LIMIT);
        OptionalLong from = request.queryParam("from")
                .map(value -> {
                    if (!value.matches("[0-9]{1,18}")) {
                        throw MatrixException.invalidParam("from", "not a token of this endpoint");
                    }
                    return OptionalLong.of(Long.parseLong(value));
                })
                .orElse(OptionalLong.empty());
        boolean highlightOnly =
                request.queryParam("only").map("highlight"::equals).orElse(false);
        if (limit == 0) {
            return new Response(List.of(), null);
        }
        NotificationList.Page page = list.page(viewer, from, limit, highlightOnly);
        return new Response(page.notifications(), page.nextToken().orElse(null));
    }
}
