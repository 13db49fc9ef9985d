package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.RoomReadHandler;

/**
 * {@code GET /_matrix/client/v3/rooms/{roomId}/state}: all current state events in the client
 * format (for users who left, the state when they left). The answer is a JSON array of events,
 * kept as a tree since event content is free-form.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidstate">spec</a>
 */
public final class GetStateEndpoint extends JsonEndpoint<NoBody, ArrayNode> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, ArrayNode> SPEC =
            EndpointSpec.get("/_matrix/client/v3/rooms/{roomId}/state", ArrayNode.class);

    private final RoomReadHandler reads;
    private final ClientEvents clientEvents;

    public GetStateEndpoint(RoomReadHandler reads, ClientEvents clientEvents) {
        super(SPEC);
        this.reads = reads;
        this.clientEvents = clientEvents;
    }

    @Override
    protected ArrayNode handle(MatrixRequest request, NoBody body) {
        ClientEvents.Viewer viewer = ClientEvents.Viewer.of(request.requireRequester());
        var user = request.requireRequester().userId();
        return clientEvents.formatAll(
                reads.state(user, PathParams.roomId(request)).values(), viewer);
    }
}
