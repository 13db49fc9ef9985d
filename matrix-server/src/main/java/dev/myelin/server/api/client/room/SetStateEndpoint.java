package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.id.EventId;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.RoomStateHandler;

/**
 * {@code PUT /_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}}; the state key may be
 * empty and its slash left out ({@code /state/{eventType}} and {@code /state/{eventType}/}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3roomsroomidstateeventtypestatekey">spec</a>
 */
public final class SetStateEndpoint implements Endpoint {
    private final RoomStateHandler state;

    public SetStateEndpoint(RoomStateHandler state) {
        this.state = state;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.PUT;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey...}";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var sender = request.requireRequester().userId();
        EventId id = state.setState(sender, PathParams.roomId(request), request.pathParam("eventType"),
                request.pathParam("stateKey"), request.jsonObject());
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put("event_id", id.value()));
    }
}
