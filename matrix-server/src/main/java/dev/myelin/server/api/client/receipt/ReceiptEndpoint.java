package dev.myelin.server.api.client.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.receipt.ReceiptHandler;
import java.util.Optional;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/receipt/{receiptType}/{eventId}}: sets a read
 * receipt, a private one, or the fully-read marker.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidreceiptreceipttypeeventid">spec</a>
 */
public final class ReceiptEndpoint implements Endpoint {
    private final ReceiptHandler receipts;

    public ReceiptEndpoint(ReceiptHandler receipts) {
        this.receipts = receipts;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/receipt/{receiptType}/{eventId}";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var user = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        String type = request.pathParam("receiptType");
        if (!ReceiptHandler.isKnownType(type)) {
            throw MatrixException.invalidParam("receiptType", "unknown receipt type " + type);
        }
        var event = PathParams.eventId(request);
        // older clients send no body at all; an absent body means no thread
        ObjectNode body = request.bodyBytes().length == 0 ? JsonNodeFactory.instance.objectNode() : request.jsonObject();
        JsonNode thread = body.get("thread_id");
        if (thread != null && !thread.isTextual()) {
            throw MatrixException.invalidParam("thread_id", "must be a non-empty string");
        }
        receipts.set(room, user, type, event, Optional.ofNullable(thread).map(JsonNode::textValue));
        return MatrixResponse.ok();
    }
}
