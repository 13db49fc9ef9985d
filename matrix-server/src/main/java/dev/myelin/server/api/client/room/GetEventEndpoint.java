package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.RoomReadHandler;

/**
 * {@code GET /_matrix/client/v3/rooms/{roomId}/event/{eventId}}: 404 {@code M_NOT_FOUND} both for
 * unknown events and for events the user may not see. The answer is the event as {@link
 * ClientEvents} serves it, kept as a JSON tree since its content is free-form.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3roomsroomideventeventid">spec</a>
 */
public final class GetEventEndpoint extends JsonEndpoint<NoBody, ObjectNode> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, ObjectNode> SPEC =
            EndpointSpec.get("/_matrix/client/v3/rooms/{roomId}/event/{eventId}", ObjectNode.class);

    private final RoomReadHandler reads;
    private final ClientEvents clientEvents;

    public GetEventEndpoint(RoomReadHandler reads, ClientEvents clientEvents) {
        super(SPEC);
        this.reads = reads;
        this.clientEvents = clientEvents;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, NoBody body) {
        ClientEvents.Viewer viewer = ClientEvents.Viewer.of(request.requireRequester());
        var user = request.requireRequester().userId();
        return clientEvents.format(reads.event(user, PathParams.roomId(request), PathParams.eventId(request)), viewer);
    }
}
