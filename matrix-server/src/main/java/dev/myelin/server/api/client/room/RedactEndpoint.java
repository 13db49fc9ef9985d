package dev.myelin.server.api.client.room;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.http.server.Requester;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.RoomStateHandler;
import dev.myelin.server.handler.room.TransactionIds;
import java.util.Optional;

/**
 * {@code PUT /_matrix/client/v3/rooms/{roomId}/redact/{eventId}/{txnId}}, once per transaction id.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3roomsroomidredacteventidtxnid">spec</a>
 */
public final class RedactEndpoint implements Endpoint {
    private final RoomStateHandler state;
    private final TransactionIds transactions;

    public RedactEndpoint(RoomStateHandler state, TransactionIds transactions) {
        this.state = state;
        this.transactions = transactions;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.PUT;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/redact/{eventId}/{txnId}";
    }

    @Override
    public Optional<String> rateLimitAction() {
        return Optional.of("message");
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        Requester requester = request.requireRequester();
        RoomId room = PathParams.roomId(request);
        EventId target = PathParams.eventId(request);
        ObjectNode body = Bodies.objectOrEmpty(request);
        Optional<String> reason = Bodies.reason(body);
        String scope = requester.userId() + "/" + requester.deviceId().map(Object::toString)
                .or(request::accessToken).orElse("");
        EventId id = transactions.sendOnce(scope, "redact/" + room + "/" + target, request.pathParam("txnId"),
                requester.userId(), requester.deviceId(),
                txn -> state.redact(requester.userId(), room, target, reason, Optional.of(txn)));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put("event_id", id.value()));
    }
}
