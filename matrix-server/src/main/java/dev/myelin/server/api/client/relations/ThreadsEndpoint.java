package dev.myelin.server.api.client.relations;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.api.QueryParams;
import dev.myelin.server.handler.relations.RelationsHandler;
import dev.myelin.server.handler.room.ClientEvents;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /_matrix/client/v1/rooms/{roomId}/threads}: the room's thread roots, most recently
 * active first, each with its bundled {@code m.thread} summary; {@code include=all|participated},
 * {@code limit} (default 5 as in Synapse, at most {@value RelationsEndpoint#MAX_LIMIT}) and
 * {@code from} (a {@code next_batch}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1roomsroomidthreads">spec</a>
 */
public final class ThreadsEndpoint extends JsonEndpoint<NoBody, ThreadsEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/v1/rooms/{roomId}/threads", Response.class);

    /**
     * One page of thread roots. Events stay JSON trees, since their content is free-form.
     *
     * @param chunk the thread roots
     * @param nextBatch a token for the next page, when there is one
     */
    public record Response(ArrayNode chunk, @Nullable String nextBatch) {}

    private final RelationsHandler relations;
    private final ClientEvents clientEvents;

    public ThreadsEndpoint(RelationsHandler relations, ClientEvents clientEvents) {
        super(SPEC);
        this.relations = relations;
        this.clientEvents = clientEvents;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        ClientEvents.Viewer viewer = ClientEvents.Viewer.of(request.requireRequester());
        boolean participated = switch (request.queryParam("include").orElse("all")) {
            case "all" -> false;
            case "participated" -> true;
            default -> throw MatrixException.invalidParam("include", "must be 'all' or 'participated'");
        };
        Optional<Long> from = request.queryParam("from").map(ThreadsEndpoint::token);
        int limit = Math.min(
                QueryParams.positiveInt(request, "limit", RelationsEndpoint.DEFAULT_LIMIT),
                RelationsEndpoint.MAX_LIMIT);
        RelationsHandler.ThreadsPage page =
                relations.threads(viewer.user(), PathParams.roomId(request), participated, from, limit);
        return new Response(
                clientEvents.formatAll(page.roots(), viewer),
                page.next().map(next -> "r" + next).orElse(null));
    }

    /** A {@code next_batch} of this endpoint: {@code r<stream position>}. */
    private static long token(String value) {
        if (!value.matches("r\\d{1,18}")) {
            throw MatrixException.invalidParam("from", "not a token this server issued");
        }
        return Long.parseLong(value.substring(1));
    }
}
