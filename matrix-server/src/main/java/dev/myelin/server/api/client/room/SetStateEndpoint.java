package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.api.TimestampMassaging;
import dev.myelin.server.handler.room.RoomStateHandler;

/**
 * {@code PUT /_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}}; the state key may be
 * empty and its slash left out ({@code /state/{eventType}} and {@code /state/{eventType}/}). The
 * body is the event content, free-form JSON whose shape depends on the event type. An application
 * service may set the event's {@code origin_server_ts} with {@code ts} ({@link TimestampMassaging}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3roomsroomidstateeventtypestatekey">spec</a>
 */
public final class SetStateEndpoint extends JsonEndpoint<ObjectNode, EventIdResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ObjectNode, EventIdResponse> SPEC = EndpointSpec.put(
                    "/_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey...}",
                    ObjectNode.class,
                    EventIdResponse.class)
            .rateLimited("message");

    private final RoomStateHandler state;

    public SetStateEndpoint(RoomStateHandler state) {
        super(SPEC);
        this.state = state;
    }

    @Override
    protected EventIdResponse handle(MatrixRequest request, ObjectNode content) {
        var sender = request.requireRequester().userId();
        EventId id = state.setState(
                sender,
                PathParams.roomId(request),
                request.pathParam("eventType"),
                request.pathParam("stateKey"),
                content,
                TimestampMassaging.of(request));
        return new EventIdResponse(id.value());
    }
}
