package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.api.TimestampMassaging;
import dev.myelin.server.api.TransactionScope;
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.server.handler.room.TransactionIds;
import java.util.Optional;

/**
 * {@code PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}}: sends a message event,
 * once per transaction id. The body is the event content. An application service may set the
 * event's {@code origin_server_ts} with {@code ts} ({@link TimestampMassaging}).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid">spec</a>
 */
public final class SendEventEndpoint extends JsonEndpoint<ObjectNode, SendEventEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ObjectNode, Response> SPEC = EndpointSpec.put(
                    "/_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}", ObjectNode.class, Response.class)
            .rateLimited("message");

    /** The id of the sent event. */
    public record Response(String eventId) {}

    private final EventCreator events;
    private final TransactionIds transactions;

    public SendEventEndpoint(EventCreator events, TransactionIds transactions) {
        super(SPEC);
        this.events = events;
        this.transactions = transactions;
    }

    @Override
    protected Response handle(MatrixRequest request, ObjectNode content) {
        Requester requester = request.requireRequester();
        RoomId room = PathParams.roomId(request);
        String type = request.pathParam("eventType");
        String scope = TransactionScope.of(request);
        Optional<Long> ts = TimestampMassaging.of(request);
        EventId id = transactions.sendOnce(
                scope,
                "send/" + room + "/" + type,
                request.pathParam("txnId"),
                requester.userId(),
                requester.deviceId(),
                txn -> events.create(EventRequest.message(room, requester.userId(), type, content)
                                .withOriginServerTs(ts)
                                .inTransaction(txn))
                        .eventId());
        return new Response(id.value());
    }
}
