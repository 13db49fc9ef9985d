package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.RoomReadHandler;

/**
 * {@code GET /_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}}: the content, or the
 * whole event with {@code ?format=event}. Users who left see the state as it was when they left.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidstateeventtypestatekey">spec</a>
 */
public final class GetStateEventEndpoint implements Endpoint {
    private final RoomReadHandler reads;
    private final ClientEvents clientEvents;

    public GetStateEventEndpoint(RoomReadHandler reads, ClientEvents clientEvents) {
        this.reads = reads;
        this.clientEvents = clientEvents;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey...}";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var user = request.requireRequester().userId();
        String format = request.queryParam("format").orElse("content");
        if (!format.equals("content") && !format.equals("event")) {
            throw MatrixException.invalidParam("format", "must be 'content' or 'event'");
        }
        String type = request.pathParam("eventType");
        String stateKey = request.pathParam("stateKey");
        ObjectNode event = reads.stateEvent(user, PathParams.roomId(request), type, stateKey)
                .map(e -> clientEvents.format(e, ClientEvents.Viewer.of(request.requireRequester())))
                .orElseThrow(() -> MatrixException.notFound("Event not found."));
        return MatrixResponse.ok(format.equals("event") ? event : event.get("content"));
    }
}
