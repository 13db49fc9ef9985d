package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.RoomReadHandler;
import dev.myelin.server.handler.room.RoomTokens;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /_matrix/client/v3/rooms/{roomId}/members}, optionally {@code at} a pagination token
 * and filtered by {@code membership} / {@code not_membership}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidmembers">spec</a>
 */
public final class MembersEndpoint implements Endpoint {
    private static final Set<String> MEMBERSHIPS = Set.of("join", "invite", "knock", "leave", "ban");

    private final RoomReadHandler reads;
    private final ClientEvents clientEvents;

    public MembersEndpoint(RoomReadHandler reads, ClientEvents clientEvents) {
        this.reads = reads;
        this.clientEvents = clientEvents;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/members";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        ClientEvents.Viewer viewer = ClientEvents.Viewer.of(request.requireRequester());
        var user = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        var at = request.queryParam("at").map(RoomTokens::decode);
        Optional<String> membership = membershipParam(request, "membership");
        Optional<String> notMembership = membershipParam(request, "not_membership");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("chunk", clientEvents.formatAll(reads.members(user, room, at, membership, notMembership), viewer));
        return MatrixResponse.ok(body);
    }

    private static Optional<String> membershipParam(MatrixRequest request, String name) {
        Optional<String> value = request.queryParam(name);
        if (value.isPresent() && !MEMBERSHIPS.contains(value.get())) {
            throw MatrixException.invalidParam(name, "unknown membership " + value.get());
        }
        return value;
    }
}
