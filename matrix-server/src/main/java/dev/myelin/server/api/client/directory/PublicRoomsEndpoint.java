package dev.myelin.server.api.client.directory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.federation.api.PublicRoomsRequest;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.endpoint.SpecEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.QueryParams;
import dev.myelin.server.handler.directory.DirectoryList;
import dev.myelin.server.handler.directory.PublicRoom;
import dev.myelin.server.handler.directory.RemotePublicRooms;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /_matrix/client/v3/publicRooms} ({@code limit}, {@code since}, {@code server},
 * {@code third_party_instance_id}, {@code include_all_networks}) and {@code POST
 * /_matrix/client/v3/publicRooms} (the same in the body, plus {@code filter} with {@code
 * generic_search_term} and {@code room_types}). The list read is the main one unless an
 * application service's is asked for ({@link DirectoryList}). With {@code server} naming another server,
 * that server's directory is asked for over federation ({@link RemotePublicRooms}) and passed on.
 * The two methods have different request
 * types, so this class binds the body itself rather than through {@code JsonEndpoint}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3publicrooms">GET</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3publicrooms">POST</a>
 */
public final class PublicRoomsEndpoint extends SpecEndpoint {
    /** The {@code GET} form's definition (no token needed, as the spec says), shared with clients. */
    public static final EndpointSpec<NoBody, Response> GET =
            EndpointSpec.get("/_matrix/client/v3/publicRooms", Response.class).optionalAuth();
    /** The {@code POST} (search) form's definition, shared with clients. */
    public static final EndpointSpec<Request, Response> POST =
            EndpointSpec.post("/_matrix/client/v3/publicRooms", Request.class, Response.class);

    /**
     * The search form's body.
     *
     * @param limit the most rooms to return; not negative
     * @param since a {@code next_batch} or {@code prev_batch} of an earlier page
     * @param filter what to search for
     * @param thirdPartyInstanceId an application service's list ({@code <service id>|<network id>})
     *     instead of the main one
     * @param includeAllNetworks the main list and every application service's list together
     */
    public record Request(
            @Nullable Long limit,
            @Nullable String since,
            @Nullable Filter filter,
            @Nullable String thirdPartyInstanceId,
            @Nullable Boolean includeAllNetworks) {
        /** Checks that the limit is not negative. */
        public Request {
            if (limit != null && limit < 0) {
                throw MatrixException.invalidParam("limit", "must not be negative");
            }
        }
    }

    /**
     * What a search looks for.
     *
     * @param genericSearchTerm a text to find in the name, topic or canonical alias
     * @param roomTypes the room types wanted; {@code null} in it means rooms without a type
     */
    public record Filter(
            @Nullable String genericSearchTerm, @Nullable List<@Nullable String> roomTypes) {}

    /**
     * One page of the directory.
     *
     * @param chunk the rooms
     * @param totalRoomCountEstimate how many rooms the whole list has
     * @param nextBatch a token for the next page, when there is one
     * @param prevBatch a token for the previous page, when there is one
     */
    public record Response(
            List<PublicRoom> chunk,
            long totalRoomCountEstimate,
            @Nullable String nextBatch,
            @Nullable String prevBatch) {}

    private final RoomDirectoryHandler directory;
    private final RemotePublicRooms remote;
    private final ServerName serverName;
    private final HttpMethod method;

    /** {@code method} is GET (no auth needed, as the spec says) or POST (the search form). */
    public PublicRoomsEndpoint(
            RoomDirectoryHandler directory, RemotePublicRooms remote, ServerName serverName, HttpMethod method) {
        super(spec(method));
        this.directory = directory;
        this.remote = remote;
        this.serverName = serverName;
        this.method = method;
    }

    /** The definition of the {@code GET} or {@code POST} form. */
    public static EndpointSpec<?, Response> spec(HttpMethod method) {
        return switch (method) {
            case GET -> GET;
            case POST -> POST;
            default -> throw new IllegalArgumentException("publicRooms is GET or POST, not " + method);
        };
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        Optional<ServerName> other = request.queryParam("server")
                .map(PublicRoomsEndpoint::serverParam)
                .filter(server -> !server.equals(serverName));
        if (other.isPresent()) {
            return MatrixResponse.ok(fromServer(request, other.get()));
        }
        RoomDirectoryHandler.PublicRooms page;
        if (method == HttpMethod.GET) {
            page = directory.publicRooms(
                    QueryParams.nonNegativeInt(request, "limit"),
                    request.queryParam("since"),
                    Optional.empty(),
                    Optional.empty(),
                    false,
                    DirectoryList.of(
                            request.queryParam("third_party_instance_id"),
                            QueryParams.bool(request, "include_all_networks").orElse(false)));
        } else {
            Request body = EndpointJson.readBody(request, POST);
            Filter filter = body.filter() == null ? new Filter(null, null) : body.filter();
            page = directory.publicRooms(
                    Optional.ofNullable(body.limit()).map(l -> (int) Math.min(l, Integer.MAX_VALUE)),
                    Optional.ofNullable(body.since()),
                    Optional.ofNullable(filter.genericSearchTerm()),
                    Optional.ofNullable(filter.roomTypes()),
                    false,
                    DirectoryList.of(
                            Optional.ofNullable(body.thirdPartyInstanceId()),
                            Boolean.TRUE.equals(body.includeAllNetworks())));
        }
        return MatrixResponse.ok(EndpointJson.toTree(new Response(
                page.chunk(),
                page.total(),
                page.nextBatch().orElse(null),
                page.prevBatch().orElse(null))));
    }

    private JsonNode fromServer(MatrixRequest request, ServerName server) {
        if (method == HttpMethod.GET) {
            return remote.list(server, QueryParams.nonNegativeInt(request, "limit"), request.queryParam("since"));
        }
        Request body = EndpointJson.readBody(request, POST);
        JsonNode filter = body.filter() == null ? null : EndpointJson.toTree(body.filter());
        return remote.search(server, new PublicRoomsRequest(body.limit(), body.since(), filter, null, null));
    }

    private static ServerName serverParam(String server) {
        try {
            return ServerName.parse(server);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("server", "not a server name: " + server);
        }
    }
}
