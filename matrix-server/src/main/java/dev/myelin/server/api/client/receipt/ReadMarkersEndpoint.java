package dev.myelin.server.api.client.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.receipt.ReceiptHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/read_markers}: moves the fully-read marker and
 * the (public or private) read receipt in one call.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidread_markers">spec</a>
 */
public final class ReadMarkersEndpoint implements Endpoint {
    private static final List<String> FIELDS = List.of(ReceiptHandler.FULLY_READ, ReceiptHandler.READ,
            ReceiptHandler.READ_PRIVATE);

    private final ReceiptHandler receipts;

    public ReadMarkersEndpoint(ReceiptHandler receipts) {
        this.receipts = receipts;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/rooms/{roomId}/read_markers";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var user = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        ObjectNode body = request.jsonObject();
        // every field is checked before any is applied, so a bad one changes nothing
        Map<String, EventId> markers = new LinkedHashMap<>();
        for (String field : FIELDS) {
            JsonNode value = body.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            if (!value.isTextual()) {
                throw MatrixException.invalidParam(field, "must be an event id");
            }
            try {
                markers.put(field, EventId.parse(value.textValue()));
            } catch (InvalidIdentifierException e) {
                throw MatrixException.invalidParam(field, e.getMessage());
            }
        }
        markers.forEach((type, event) -> receipts.set(room, user, type, event, Optional.empty()));
        return MatrixResponse.ok();
    }
}
