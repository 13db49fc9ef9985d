package dev.myelin.server.api.client.space;

import dev.myelin.federation.api.SpaceRoomSummary;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.api.QueryParams;
import dev.myelin.server.handler.space.SpaceHierarchy;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /_matrix/client/v1/rooms/{roomId}/hierarchy?from=&limit=&max_depth=&suggested_only=}:
 * a page of the rooms below a space, depth first. {@code limit} must be above zero and is capped at
 * {@link SpaceHierarchy#MAX_LIMIT} (also its default); {@code max_depth} must not be negative and is
 * unbounded when absent. Bad values are 400 {@code M_INVALID_PARAM}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1roomsroomidhierarchy">spec</a>
 */
public final class SpaceHierarchyEndpoint extends JsonEndpoint<NoBody, SpaceHierarchyEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/v1/rooms/{roomId}/hierarchy", Response.class);

    /**
     * One page of the hierarchy.
     *
     * @param rooms the rooms of this page, each with its {@code children_state}
     * @param nextBatch the {@code from} of the next page; absent on the last
     */
    public record Response(
            List<SpaceRoomSummary> rooms, @Nullable String nextBatch) {
        public Response {
            rooms = List.copyOf(rooms);
        }
    }

    private final SpaceHierarchy hierarchy;

    public SpaceHierarchyEndpoint(SpaceHierarchy hierarchy) {
        super(SPEC);
        this.hierarchy = hierarchy;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        var user = request.requireRequester().userId();
        var space = PathParams.roomId(request);
        boolean suggestedOnly = QueryParams.bool(request, "suggested_only").orElse(false);
        int limit = count(request, "limit", 1).stream()
                .map(l -> Math.min(l, SpaceHierarchy.MAX_LIMIT))
                .findFirst()
                .orElse(SpaceHierarchy.MAX_LIMIT);
        OptionalInt maxDepth = count(request, "max_depth", 0);
        SpaceHierarchy.Page page =
                hierarchy.walk(user, space, suggestedOnly, maxDepth, limit, request.queryParam("from"));
        return new Response(page.rooms(), page.nextBatch().orElse(null));
    }

    /**
     * An integer parameter of at least {@code min}; one too large for an int is the largest int,
     * since both mean "as many as there are".
     */
    private static OptionalInt count(MatrixRequest request, String name, int min) {
        Optional<String> raw = request.queryParam(name);
        if (raw.isEmpty()) {
            return OptionalInt.empty();
        }
        String value = raw.get();
        if (!value.matches("-?[0-9]{1,100}")) {
            throw MatrixException.invalidParam(name, "must be an integer");
        }
        boolean negative = value.startsWith("-");
        String digits = (negative ? value.substring(1) : value).replaceFirst("^0+(?=.)", "");
        long parsed = digits.length() > 10 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (negative && parsed != 0) {
            parsed = -1;
        }
        if (parsed < min) {
            throw MatrixException.invalidParam(name, min > 0 ? "must be greater than zero" : "must not be negative");
        }
        return OptionalInt.of((int) Math.min(parsed, Integer.MAX_VALUE));
    }
}
