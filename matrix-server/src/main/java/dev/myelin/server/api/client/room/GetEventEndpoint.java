package dev.myelin.server.api.client.room;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.RoomReadHandler;

/**
 * {@code GET /_matrix/client/v3/rooms/{roomId}/event/{eventId}}: 404 {@code M_NOT_FOUND} both for
 * unknown events and for events the user may not see.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomideventeventid">spec</a>
 */
public final class GetEventEndpoint implements Endpoint {
    private final RoomReadHandler reads;
    private final ClientEvents clientEvents;

    public GetEventEndpoint(RoomReadHandler reads, ClientEvents clientEvents) {
        this.reads = reads;
        this.clientEvents = clientEvents;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/event/{eventId}";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        ClientEvents.Viewer viewer = ClientEvents.Viewer.of(request.requireRequester());
        var user = request.requireRequester().userId();
        return MatrixResponse.ok(clientEvents.format(
                reads.event(user, PathParams.roomId(request), PathParams.eventId(request)), viewer));
    }
}
