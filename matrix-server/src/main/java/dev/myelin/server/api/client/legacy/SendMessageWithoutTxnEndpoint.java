package dev.myelin.server.api.client.legacy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.api.client.room.EventIdResponse;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.EventRequest;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/send/{eventType}}: the first form of sending a
 * message event, before transaction ids, which older clients and tools still use. Every request
 * sends a new event (a retried request sends it twice); the body is the event content. Otherwise
 * it is {@code PUT /rooms/{roomId}/send/{eventType}/{txnId}}: the same checks and rate limit.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid">spec of the current form</a>
 */
public final class SendMessageWithoutTxnEndpoint extends JsonEndpoint<ObjectNode, EventIdResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ObjectNode, EventIdResponse> SPEC = EndpointSpec.post(
                    "/_matrix/client/v3/rooms/{roomId}/send/{eventType}", ObjectNode.class, EventIdResponse.class)
            .rateLimited("message");

    private final EventCreator events;

    public SendMessageWithoutTxnEndpoint(EventCreator events) {
        super(SPEC);
        this.events = events;
    }

    @Override
    protected EventIdResponse handle(MatrixRequest request, ObjectNode content) {
        Requester requester = request.requireRequester();
        return new EventIdResponse(events.create(EventRequest.message(
                        PathParams.roomId(request), requester.userId(), request.pathParam("eventType"), content))
                .eventId()
                .value());
    }
}
