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
import dev.myelin.server.handler.room.EventCreator;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.server.handler.room.TransactionIds;
import java.util.Optional;

/**
 * {@code PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}}: sends a message event,
 * once per transaction id.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid">spec</a>
 */
public final class SendEventEndpoint implements Endpoint {
    private final EventCreator events;
    private final TransactionIds transactions;

    public SendEventEndpoint(EventCreator events, TransactionIds transactions) {
        this.events = events;
        this.transactions = transactions;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.PUT;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}";
    }

    @Override
    public Optional<String> rateLimitAction() {
        return Optional.of("message");
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        Requester requester = request.requireRequester();
        RoomId room = PathParams.roomId(request);
        String type = request.pathParam("eventType");
        ObjectNode content = request.jsonObject();
        String scope = requester.userId() + "/" + requester.deviceId().map(Object::toString)
                .or(request::accessToken).orElse("");
        EventId id = transactions.sendOnce(scope, "send/" + room + "/" + type, request.pathParam("txnId"),
                requester.userId(), requester.deviceId(),
                () -> events.create(EventRequest.message(room, requester.userId(), type, content)).eventId());
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put("event_id", id.value()));
    }
}
