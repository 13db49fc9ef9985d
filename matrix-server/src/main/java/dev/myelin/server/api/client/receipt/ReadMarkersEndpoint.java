package dev.myelin.server.api.client.receipt;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.receipt.ReceiptHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/read_markers}: moves the fully-read marker and
 * the (public or private) read receipt in one call.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidread_markers">spec</a>
 */
public final class ReadMarkersEndpoint extends JsonEndpoint<ReadMarkersEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC =
            EndpointSpec.post("/_matrix/client/v3/rooms/{roomId}/read_markers", Request.class, EmptyResponse.class);

    /**
     * The markers to move, each an event id or absent. Held as JSON so that a value that is not an
     * event id is {@code M_INVALID_PARAM} naming the field whatever its JSON type. Every field is
     * checked here, before any is applied, so a bad one changes nothing.
     *
     * @param fullyRead the new {@code m.fully_read} marker
     * @param read the new public read receipt
     * @param readPrivate the new private read receipt
     */
    public record Request(
            @JsonProperty(ReceiptHandler.FULLY_READ) @Nullable
            JsonNode fullyRead,

            @JsonProperty(ReceiptHandler.READ) @Nullable JsonNode read,

            @JsonProperty(ReceiptHandler.READ_PRIVATE) @Nullable
            JsonNode readPrivate) {
        /** Checks that every given marker is an event id. */
        public Request {
            eventId(fullyRead, ReceiptHandler.FULLY_READ);
            eventId(read, ReceiptHandler.READ);
            eventId(readPrivate, ReceiptHandler.READ_PRIVATE);
        }

        /** The markers given, by receipt type, in the order fully-read, public, private. */
        public Map<String, EventId> markers() {
            Map<String, EventId> markers = new LinkedHashMap<>();
            eventId(fullyRead, ReceiptHandler.FULLY_READ).ifPresent(e -> markers.put(ReceiptHandler.FULLY_READ, e));
            eventId(read, ReceiptHandler.READ).ifPresent(e -> markers.put(ReceiptHandler.READ, e));
            eventId(readPrivate, ReceiptHandler.READ_PRIVATE)
                    .ifPresent(e -> markers.put(ReceiptHandler.READ_PRIVATE, e));
            return markers;
        }

        private static Optional<EventId> eventId(@Nullable JsonNode value, String field) {
            if (value == null || value.isNull()) {
                return Optional.empty();
            }
            if (!value.isTextual()) {
                throw MatrixException.invalidParam(field, "must be an event id");
            }
            try {
                return Optional.of(EventId.parse(value.textValue()));
            } catch (InvalidIdentifierException e) {
                throw MatrixException.invalidParam(field, e.getMessage());
            }
        }
    }

    private final ReceiptHandler receipts;

    public ReadMarkersEndpoint(ReceiptHandler receipts) {
        super(SPEC);
        this.receipts = receipts;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        var user = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        // Checked even when no marker is given, so an empty body is not a 200 for any room at all.
        receipts.requireJoined(room, user);
        body.markers().forEach((type, event) -> receipts.set(room, user, type, event, Optional.empty()));
        return EmptyResponse.INSTANCE;
    }
}
