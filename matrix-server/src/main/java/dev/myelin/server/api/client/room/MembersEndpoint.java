package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.PaginationTokens;
import dev.myelin.server.handler.room.RoomReadHandler;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /_matrix/client/v3/rooms/{roomId}/members}, optionally {@code at} a pagination token or a
 * {@code /sync} token ({@link PaginationTokens}) and filtered by {@code membership} /
 * {@code not_membership}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidmembers">spec</a>
 */
public final class MembersEndpoint extends JsonEndpoint<NoBody, MembersEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/v3/rooms/{roomId}/members", Response.class);

    private static final Set<String> MEMBERSHIPS = Set.of("join", "invite", "knock", "leave", "ban");

    /** The member events, as JSON trees since event content is free-form. */
    public record Response(ArrayNode chunk) {}

    private final RoomReadHandler reads;
    private final ClientEvents clientEvents;
    private final PaginationTokens tokens;

    public MembersEndpoint(RoomReadHandler reads, ClientEvents clientEvents, PaginationTokens tokens) {
        super(SPEC);
        this.reads = reads;
        this.clientEvents = clientEvents;
        this.tokens = tokens;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        ClientEvents.Viewer viewer = ClientEvents.Viewer.of(request.requireRequester());
        var user = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        var at = request.queryParam("at").map(t -> tokens.position(room, t));
        Optional<String> membership = membershipParam(request, "membership");
        Optional<String> notMembership = membershipParam(request, "not_membership");
        return new Response(clientEvents.formatAll(reads.members(user, room, at, membership, notMembership), viewer));
    }

    private static Optional<String> membershipParam(MatrixRequest request, String name) {
        Optional<String> value = request.queryParam(name);
        if (value.isPresent() && !MEMBERSHIPS.contains(value.get())) {
            throw MatrixException.invalidParam(name, "unknown membership " + value.get());
        }
        return value;
    }
}
