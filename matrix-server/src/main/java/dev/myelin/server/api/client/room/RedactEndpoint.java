package dev.myelin.server.api.client.room;

import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.api.TransactionScope;
import dev.myelin.server.handler.room.RoomStateHandler;
import dev.myelin.server.handler.room.TransactionIds;
import java.util.Optional;

/**
 * {@code PUT /_matrix/client/v3/rooms/{roomId}/redact/{eventId}/{txnId}}, once per transaction id.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3roomsroomidredacteventidtxnid">spec</a>
 */
public final class RedactEndpoint extends JsonEndpoint<ReasonRequest, EventIdResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ReasonRequest, EventIdResponse> SPEC = EndpointSpec.put(
                    "/_matrix/client/v3/rooms/{roomId}/redact/{eventId}/{txnId}",
                    ReasonRequest.class,
                    EventIdResponse.class)
            .rateLimited("message")
            .bodyMayBeAbsent();

    private final RoomStateHandler state;
    private final TransactionIds transactions;

    public RedactEndpoint(RoomStateHandler state, TransactionIds transactions) {
        super(SPEC);
        this.state = state;
        this.transactions = transactions;
    }

    @Override
    protected EventIdResponse handle(MatrixRequest request, ReasonRequest body) {
        Requester requester = request.requireRequester();
        RoomId room = PathParams.roomId(request);
        EventId target = PathParams.eventId(request);
        String scope = TransactionScope.of(request);
        EventId id = transactions.sendOnce(
                scope,
                "redact/" + room + "/" + target,
                request.pathParam("txnId"),
                requester.userId(),
                requester.deviceId(),
                txn -> state.redact(requester.userId(), room, target, body.optionalReason(), Optional.of(txn)));
        return new EventIdResponse(id.value());
    }
}
