package dev.myelin.server.api.client.room;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.RoomReadHandler;

/**
 * {@code GET /_matrix/client/v3/rooms/{roomId}/state}: all current state events in the client
 * format (for users who left, the state when they left).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidstate">spec</a>
 */
public final class GetStateEndpoint implements Endpoint {
    private final RoomReadHandler reads;
    private final ClientEvents clientEvents;

    public GetStateEndpoint(RoomReadHandler reads, ClientEvents clientEvents) {
        this.reads = reads;
        this.clientEvents = clientEvents;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/state";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        ClientEvents.Viewer viewer = ClientEvents.Viewer.of(request.requireRequester());
        var user = request.requireRequester().userId();
        return MatrixResponse.ok(clientEvents.formatAll(reads.state(user, PathParams.roomId(request)).values(), viewer));
    }
}
