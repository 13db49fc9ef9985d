package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.RoomReadHandler;

/**
 * {@code GET /_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}}: the content, or the
 * whole event with {@code ?format=event}. Users who left see the state as it was when they left.
 * Both answers are free-form (the content's shape depends on the event type), so they stay JSON trees.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomidstateeventtypestatekey">spec</a>
 */
public final class GetStateEventEndpoint extends JsonEndpoint<NoBody, JsonNode> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, JsonNode> SPEC =
            EndpointSpec.get("/_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey...}", JsonNode.class);

    private final RoomReadHandler reads;
    private final ClientEvents clientEvents;

    public GetStateEventEndpoint(RoomReadHandler reads, ClientEvents clientEvents) {
        super(SPEC);
        this.reads = reads;
        this.clientEvents = clientEvents;
    }

    @Override
    protected JsonNode handle(MatrixRequest request, NoBody body) {
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
        return format.equals("event") ? event : event.get("content");
    }
}
