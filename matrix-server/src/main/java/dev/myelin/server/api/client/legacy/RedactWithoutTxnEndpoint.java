package dev.myelin.server.api.client.legacy;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.api.client.room.EventIdResponse;
import dev.myelin.server.api.client.room.ReasonRequest;
import dev.myelin.server.handler.room.RoomStateHandler;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/redact/{eventId}}: redacting before transaction
 * ids, which older clients, bots and test suites still use. Every request redacts anew (a retried
 * request sends a second redaction); otherwise it is {@code PUT .../redact/{eventId}/{txnId}}: the
 * same checks and rate limit.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3roomsroomidredacteventidtxnid">spec of the current form</a>
 */
public final class RedactWithoutTxnEndpoint extends JsonEndpoint<ReasonRequest, EventIdResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ReasonRequest, EventIdResponse> SPEC = EndpointSpec.post(
                    "/_matrix/client/v3/rooms/{roomId}/redact/{eventId}", ReasonRequest.class, EventIdResponse.class)
            .rateLimited("message")
            .bodyMayBeAbsent();

    private final RoomStateHandler state;

    public RedactWithoutTxnEndpoint(RoomStateHandler state) {
        super(SPEC);
        this.state = state;
    }

    @Override
    protected EventIdResponse handle(MatrixRequest request, ReasonRequest body) {
        Requester requester = request.requireRequester();
        return new EventIdResponse(state.redact(
                        requester.userId(),
                        PathParams.roomId(request),
                        PathParams.eventId(request),
                        body.optionalReason())
                .value());
    }
}
