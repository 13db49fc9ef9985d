package dev.myelin.server.api.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.PublicRoomsRequest;
import dev.myelin.federation.api.PublicRoomsResponse;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.SpecEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.QueryParams;
import dev.myelin.server.api.client.directory.PublicRoomsEndpoint;
import dev.myelin.server.handler.directory.DirectoryList;
import dev.myelin.server.handler.directory.RoomDirectoryHandler;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET} and {@code POST /_matrix/federation/v1/publicRooms}: this server's published room
 * directory for another server, the same list clients get from {@code /publicRooms} but without
 * rooms created with {@code "m.federate": false}. Served only with
 * {@code allow_public_rooms_over_federation} (off by default, as in Synapse); otherwise 403
 * {@code M_FORBIDDEN} ("Federation denied with …", Synapse's answer).
 *
 * <p>{@code limit} 0 or absent means the directory's largest page. {@code third_party_instance_id}
 * reads an application service's list and {@code include_all_networks} the main list with all of
 * theirs ({@link DirectoryList}); both at once are 400 {@code M_INVALID_PARAM}, as Synapse answers.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1publicrooms">GET</a>
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#post_matrixfederationv1publicrooms">POST</a>
 */
public final class FederationPublicRoomsEndpoint extends SpecEndpoint {
    private final RoomDirectoryHandler directory;
    private final boolean allowed;
    private final HttpMethod method;

    /**
     * {@code method} is GET or POST; {@code allowed} is {@code allow_public_rooms_over_federation}.
     */
    public FederationPublicRoomsEndpoint(RoomDirectoryHandler directory, boolean allowed, HttpMethod method) {
        super(spec(method));
        this.directory = directory;
        this.allowed = allowed;
        this.method = method;
    }

    /** The definition of the {@code GET} or {@code POST} form. */
    public static EndpointSpec<?, PublicRoomsResponse> spec(HttpMethod method) {
        return switch (method) {
            case GET -> FederationEndpoints.PUBLIC_ROOMS;
            case POST -> FederationEndpoints.SEARCH_PUBLIC_ROOMS;
            default -> throw new IllegalArgumentException("publicRooms is GET or POST, not " + method);
        };
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        String origin = request.requireOrigin().toString();
        if (!allowed) {
            throw MatrixException.forbidden("Federation denied with " + origin + ".");
        }
        Optional<Integer> limit;
        Optional<String> since;
        boolean allNetworks;
        Optional<String> network;
        PublicRoomsEndpoint.Filter filter = new PublicRoomsEndpoint.Filter(null, null);
        if (method == HttpMethod.GET) {
            limit = QueryParams.nonNegativeInt(request, "limit");
            since = request.queryParam("since");
            allNetworks = QueryParams.bool(request, "include_all_networks").orElse(false);
            network = request.queryParam("third_party_instance_id");
        } else {
            PublicRoomsRequest body = EndpointJson.readBody(request, FederationEndpoints.SEARCH_PUBLIC_ROOMS);
            if (body.limit() != null && body.limit() < 0) {
                throw MatrixException.invalidParam("limit", "must not be negative");
            }
            limit = Optional.ofNullable(body.limit()).map(l -> (int) Math.min(l, Integer.MAX_VALUE));
            since = Optional.ofNullable(body.since());
            allNetworks = Boolean.TRUE.equals(body.includeAllNetworks());
            network = Optional.ofNullable(body.thirdPartyInstanceId());
            JsonNode filterJson = body.filter();
            if (filterJson != null && !filterJson.isNull()) {
                filter = EndpointJson.fromTree(filterJson, PublicRoomsEndpoint.Filter.class);
            }
        }
        RoomDirectoryHandler.PublicRooms page = directory.publicRooms(
                limit.filter(l -> l > 0),
                since,
                Optional.ofNullable(filter.genericSearchTerm()),
                Optional.ofNullable(filter.roomTypes()),
                true,
                DirectoryList.of(network, allNetworks));
        List<ObjectNode> chunk = page.chunk().stream()
                .map(r -> (ObjectNode) EndpointJson.toTree(r))
                .toList();
        return MatrixResponse.ok(EndpointJson.toTree(new PublicRoomsResponse(
                chunk,
                page.total(),
                page.nextBatch().orElse(null),
                page.prevBatch().orElse(null))));
    }
}
