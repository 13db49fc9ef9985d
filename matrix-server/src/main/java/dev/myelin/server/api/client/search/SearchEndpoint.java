package dev.myelin.server.api.client.search;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.RoomTokens;
import dev.myelin.server.handler.search.SearchBatch;
import dev.myelin.server.handler.search.SearchHandler;
import dev.myelin.server.handler.search.SearchRequest;
import dev.myelin.server.handler.search.SearchResults;
import java.util.Optional;

/**
 * {@code POST /_matrix/client/v3/search}: full-text search of the room events the user may see,
 * ranked or most recent first, with context, room state and groupings when asked, in batches
 * continued with the {@code next_batch} query parameter. A body without {@code room_events} (the
 * only category) is answered with no categories.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3search">spec</a>
 */
public final class SearchEndpoint extends JsonEndpoint<ObjectNode, ObjectNode> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ObjectNode, ObjectNode> SPEC =
            EndpointSpec.post("/_matrix/client/v3/search", ObjectNode.class, ObjectNode.class);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SearchHandler search;
    private final ClientEvents clientEvents;

    public SearchEndpoint(SearchHandler search, ClientEvents clientEvents) {
        super(SPEC);
        this.search = search;
        this.clientEvents = clientEvents;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, ObjectNode body) {
        Optional<SearchBatch> batch = request.queryParam("next_batch").map(SearchBatch::decode);
        Optional<SearchRequest> roomEvents = SearchRequestParser.parse(body, batch);
        ObjectNode response = NODES.objectNode();
        ObjectNode categories = response.putObject("search_categories");
        if (roomEvents.isPresent()) {
            ClientEvents.Viewer viewer = ClientEvents.Viewer.of(request.requireRequester());
            SearchResults results = search.search(viewer.user(), roomEvents.get());
            categories.set("room_events", render(results, viewer));
        }
        return response;
    }

    private ObjectNode render(SearchResults found, ClientEvents.Viewer viewer) {
        ObjectNode out = NODES.objectNode();
        out.put("count", found.count());
        found.highlights().forEach(out.putArray("highlights")::add);
        var results = out.putArray("results");
        for (SearchResults.Result result : found.results()) {
            ObjectNode item = results.addObject();
            item.put("rank", result.rank());
            item.set("result", clientEvents.format(result.event(), viewer));
            result.context().ifPresent(c -> item.set("context", context(c, viewer)));
        }
        found.next().ifPresent(b -> out.put("next_batch", b.encode()));
        if (!found.state().isEmpty()) {
            ObjectNode state = out.putObject("state");
            found.state().forEach((room, events) -> state.set(room.value(), clientEvents.formatAll(events, viewer)));
        }
        if (!found.groups().isEmpty()) {
            ObjectNode groups = out.putObject("groups");
            found.groups().forEach((key, byValue) -> {
                ObjectNode values = groups.putObject(key.value());
                byValue.forEach((value, group) -> {
                    ObjectNode g = values.putObject(value);
                    g.put("order", group.order());
                    group.results().forEach(id -> g.withArray("results").add(id.value()));
                    group.next().ifPresent(b -> g.put("next_batch", b.encode()));
                });
            });
        }
        return out;
    }

    private ObjectNode context(SearchResults.Context context, ClientEvents.Viewer viewer) {
        ObjectNode out = NODES.objectNode();
        out.put("start", RoomTokens.encode(context.start()));
        out.put("end", RoomTokens.encode(context.end()));
        out.set("events_before", clientEvents.formatAll(context.before(), viewer));
        out.set("events_after", clientEvents.formatAll(context.after(), viewer));
        ObjectNode profiles = out.putObject("profile_info");
        context.profiles().forEach((user, profile) -> {
            ObjectNode p = profiles.putObject(user);
            profile.displayName().ifPresent(n -> p.put("displayname", n));
            profile.avatarUrl().ifPresent(a -> p.put("avatar_url", a));
        });
        return out;
    }
}
