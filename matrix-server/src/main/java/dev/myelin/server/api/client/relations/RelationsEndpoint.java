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
import dev.myelin.server.handler.room.RoomTokens;
import dev.myelin.storage.event.Direction;
import java.util.Optional;

/**
 * {@code GET /_matrix/client/v1/rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]]}: the
 * events relating to an event, newest first by default ({@code dir}), with {@code from}/{@code to}
 * room pagination tokens, {@code limit} (default 5 as in Synapse, at most {@value #MAX_LIMIT}) and
 * {@code recurse} (up to {@value RelationsHandler#MAX_RECURSION_DEPTH} levels). One class serves
 * the three paths; {@link Filter} says which.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1roomsroomidrelationseventid">spec</a>
 */
public final class RelationsEndpoint implements Endpoint {
    static final int DEFAULT_LIMIT = 5;
    static final int MAX_LIMIT = 100;

    /** Which path: all relations, one relation type, or one relation type and event type. */
    public enum Filter {
        NONE(""),
        REL_TYPE("/{relType}"),
        REL_TYPE_AND_EVENT_TYPE("/{relType}/{eventType}");

        private final String suffix;

        Filter(String suffix) {
            this.suffix = suffix;
        }
    }

    private final RelationsHandler relations;
    private final ClientEvents clientEvents;
    private final Filter filter;

    public RelationsEndpoint(RelationsHandler relations, ClientEvents clientEvents, Filter filter) {
        this.relations = relations;
        this.clientEvents = clientEvents;
        this.filter = filter;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v1/rooms/{roomId}/relations/{eventId}" + filter.suffix;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        ClientEvents.Viewer viewer = ClientEvents.Viewer.of(request.requireRequester());
        Optional<String> relType = filter == Filter.NONE ? Optional.empty() : Optional.of(request.pathParam("relType"));
        Optional<String> eventType = filter == Filter.REL_TYPE_AND_EVENT_TYPE
                ? Optional.of(request.pathParam("eventType")) : Optional.empty();
        Direction direction = switch (request.queryParam("dir").orElse("b")) {
            case "b" -> Direction.BACKWARDS;
            case "f" -> Direction.FORWARDS;
            default -> throw MatrixException.invalidParam("dir", "must be 'b' or 'f'");
        };
        Optional<Boolean> recurse = request.queryParam("recurse").map(v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw MatrixException.invalidParam("recurse", "must be 'true' or 'false'");
        });
        int limit = Math.min(positiveInt(request, "limit").orElse(DEFAULT_LIMIT), MAX_LIMIT);
        RelationsHandler.Page page = relations.relations(viewer.user(), new RelationsHandler.Query(
                PathParams.roomId(request), PathParams.eventId(request), relType, eventType,
                request.queryParam("from").map(RoomTokens::decode), request.queryParam("to").map(RoomTokens::decode),
                direction, limit, recurse.orElse(false)));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("chunk", clientEvents.formatAll(page.chunk(), viewer));
        page.next().ifPresent(next -> body.put("next_batch", RoomTokens.encode(next)));
        request.queryParam("from").ifPresent(from -> body.put("prev_batch", from));
        recurse.ifPresent(r -> body.put("recursion_depth", r ? RelationsHandler.MAX_RECURSION_DEPTH : 1));
        return MatrixResponse.ok(body);
    }

    /** A query parameter that must be an integer above zero; 400 {@code M_INVALID_PARAM} otherwise. */
    static Optional<Integer> positiveInt(MatrixRequest request, String name) {
        Optional<String> raw = request.queryParam(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < 1) {
                throw MatrixException.invalidParam(name, "must be greater than zero");
            }
            return Optional.of(value);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam(name, "must be an integer");
        }
    }
}
