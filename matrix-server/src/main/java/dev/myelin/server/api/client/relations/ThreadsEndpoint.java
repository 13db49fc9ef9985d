package dev.myelin.server.api.client.relations;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.relations.RelationsHandler;
import dev.myelin.server.handler.room.ClientEvents;
import java.util.Optional;

/**
 * {@code GET /_matrix/client/v1/rooms/{roomId}/threads}: the room's thread roots, most recently
 * active first, each with its bundled {@code m.thread} summary; {@code include=all|participated},
 * {@code limit} (default 5 as in Synapse, at most {@value RelationsEndpoint#MAX_LIMIT}) and
 * {@code from} (a {@code next_batch}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1roomsroomidthreads">spec</a>
 */
public final class ThreadsEndpoint implements Endpoint {
    private final RelationsHandler relations;
    private final ClientEvents clientEvents;

    public ThreadsEndpoint(RelationsHandler relations, ClientEvents clientEvents) {
        this.relations = relations;
        this.clientEvents = clientEvents;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v1/rooms/{roomId}/threads";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        ClientEvents.Viewer viewer = ClientEvents.Viewer.of(request.requireRequester());
        boolean participated = switch (request.queryParam("include").orElse("all")) {
            case "all" -> false;
            case "participated" -> true;
            default -> throw MatrixException.invalidParam("include", "must be 'all' or 'participated'");
        };
        Optional<Long> from = request.queryParam("from").map(ThreadsEndpoint::token);
        int limit = Math.min(RelationsEndpoint.positiveInt(request, "limit").orElse(RelationsEndpoint.DEFAULT_LIMIT),
                RelationsEndpoint.MAX_LIMIT);
        RelationsHandler.ThreadsPage page = relations.threads(viewer.user(), PathParams.roomId(request),
                participated, from, limit);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("chunk", clientEvents.formatAll(page.roots(), viewer));
        page.next().ifPresent(next -> body.put("next_batch", "r" + next));
        return MatrixResponse.ok(body);
    }

    /** A {@code next_batch} of this endpoint: {@code r<stream position>}. */
    private static long token(String value) {
        if (!value.matches("r\\d{1,18}")) {
            throw MatrixException.invalidParam("from", "not a token this server issued");
        }
        return Long.parseLong(value.substring(1));
    }
}
