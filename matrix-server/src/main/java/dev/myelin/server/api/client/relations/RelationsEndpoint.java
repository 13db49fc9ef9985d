package dev.myelin.server.api.client.relations;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.api.QueryParams;
import dev.myelin.server.handler.relations.RelationsHandler;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.PaginationTokens;
import dev.myelin.server.handler.room.RoomTokens;
import dev.myelin.storage.event.Direction;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /_matrix/client/v1/rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]]}: the
 * events relating to an event, newest first by default ({@code dir}), with {@code from}/{@code to}
 * room pagination or {@code /sync} tokens ({@link PaginationTokens}), {@code limit} (default 5 as in
 * Synapse, at most {@value #MAX_LIMIT}) and {@code recurse} (up to {@value RelationsHandler#MAX_RECURSION_DEPTH} levels). One class serves
 * the three paths; {@link Filter} says which.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1roomsroomidrelationseventid">spec</a>
 */
public final class RelationsEndpoint extends JsonEndpoint<NoBody, RelationsEndpoint.Response> {
    static final int DEFAULT_LIMIT = 5;
    static final int MAX_LIMIT = 100;

    /** Which path: all relations, one relation type, or one relation type and event type. */
    public enum Filter {
        NONE(""),
        REL_TYPE("/{relType}"),
        REL_TYPE_AND_EVENT_TYPE("/{relType}/{eventType}");

        private final EndpointSpec<NoBody, Response> spec;

        Filter(String suffix) {
            this.spec =
                    EndpointSpec.get("/_matrix/client/v1/rooms/{roomId}/relations/{eventId}" + suffix, Response.class);
        }
    }

    /** The definition of the path without a relation type, shared with clients. */
    public static final EndpointSpec<NoBody, Response> ALL = spec(Filter.NONE);
    /** The definition of the path with a relation type, shared with clients. */
    public static final EndpointSpec<NoBody, Response> BY_REL_TYPE = spec(Filter.REL_TYPE);
    /** The definition of the path with a relation type and an event type, shared with clients. */
    public static final EndpointSpec<NoBody, Response> BY_REL_TYPE_AND_EVENT_TYPE =
            spec(Filter.REL_TYPE_AND_EVENT_TYPE);

    /**
     * One page of relating events. Events stay JSON trees, since their content is free-form.
     *
     * @param chunk the events
     * @param nextBatch a token for the next page, when there is one
     * @param prevBatch the {@code from} the page was asked from, if any
     * @param recursionDepth how deep the relations were followed, when {@code recurse} was given
     */
    public record Response(
            ArrayNode chunk,
            @Nullable String nextBatch,
            @Nullable String prevBatch,
            @Nullable Integer recursionDepth) {}

    private final RelationsHandler relations;
    private final ClientEvents clientEvents;
    private final PaginationTokens tokens;
    private final Filter filter;

    public RelationsEndpoint(
            RelationsHandler relations, ClientEvents clientEvents, PaginationTokens tokens, Filter filter) {
        super(spec(filter));
        this.relations = relations;
        this.clientEvents = clientEvents;
        this.tokens = tokens;
        this.filter = filter;
    }

    /** The definition of one of the three paths. */
    public static EndpointSpec<NoBody, Response> spec(Filter filter) {
        return filter.spec;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        ClientEvents.Viewer viewer = ClientEvents.Viewer.of(request.requireRequester());
        Optional<String> relType = filter == Filter.NONE ? Optional.empty() : Optional.of(request.pathParam("relType"));
        Optional<String> eventType = filter == Filter.REL_TYPE_AND_EVENT_TYPE
                ? Optional.of(request.pathParam("eventType"))
                : Optional.empty();
        Direction direction = QueryParams.direction(request, Direction.BACKWARDS);
        Optional<Boolean> recurse = QueryParams.bool(request, "recurse");
        int limit = Math.min(QueryParams.positiveInt(request, "limit", DEFAULT_LIMIT), MAX_LIMIT);
        var room = PathParams.roomId(request);
        RelationsHandler.Page page = relations.relations(
                viewer.user(),
                new RelationsHandler.Query(
                        room,
                        PathParams.eventId(request),
                        relType,
                        eventType,
                        request.queryParam("from").map(t -> tokens.position(room, t)),
                        request.queryParam("to").map(t -> tokens.position(room, t)),
                        direction,
                        limit,
                        recurse.orElse(false)));
        return new Response(
                clientEvents.formatAll(page.chunk(), viewer),
                page.next().map(RoomTokens::encode).orElse(null),
                request.queryParam("from").orElse(null),
                recurse.map(r -> r ? RelationsHandler.MAX_RECURSION_DEPTH : 1).orElse(null));
    }
}
