package dev.myelin.server.api.client.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.myelin.core.id.EventId;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.receipt.ReceiptHandler;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/receipt/{receiptType}/{eventId}}: sets a read
 * receipt, a private one, or the fully-read marker. Older clients send no body at all; an absent
 * body means no thread.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidreceiptreceipttypeeventid">spec</a>
 */
public final class ReceiptEndpoint extends JsonEndpoint<ReceiptEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC = EndpointSpec.post(
                    "/_matrix/client/v3/rooms/{roomId}/receipt/{receiptType}/{eventId}",
                    Request.class,
                    EmptyResponse.class)
            .bodyMayBeAbsent();

    /**
     * The thread the receipt is for ({@code main} or a thread root's event id); absent for an
     * unthreaded receipt. Held as JSON so that a value of the wrong type is {@code M_INVALID_PARAM}
     * naming the field, as Synapse answers, rather than {@code M_BAD_JSON}.
     *
     * @param threadId the thread, a string when present
     */
    public record Request(@Nullable JsonNode threadId) {
        /** The thread of receipts outside any thread. */
        public static final String MAIN = "main";

        /** Checks that a given thread id is {@code main} or an event id (so at most 255 bytes). */
        public Request {
            if (threadId != null && !threadId.isTextual()) {
                throw MatrixException.invalidParam("thread_id", "must be a non-empty string");
            }
            if (threadId != null
                    && !threadId.textValue().isEmpty()
                    && !threadId.textValue().equals(MAIN)
                    && !EventId.isValid(threadId.textValue())) {
                throw MatrixException.invalidParam("thread_id", "must be 'main' or the event id of a thread root");
            }
        }

        /** A request for the thread {@code threadId}. */
        public static Request of(String threadId) {
            return new Request(TextNode.valueOf(threadId));
        }

        /** The thread, when one was given. */
        public Optional<String> thread() {
            return Optional.ofNullable(threadId).map(JsonNode::textValue);
        }
    }

    private final ReceiptHandler receipts;

    public ReceiptEndpoint(ReceiptHandler receipts) {
        super(SPEC);
        this.receipts = receipts;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        var user = request.requireRequester().userId();
        var room = PathParams.roomId(request);
        String type = request.pathParam("receiptType");
        if (!ReceiptHandler.isKnownType(type)) {
            throw MatrixException.invalidParam("receiptType", "unknown receipt type " + type);
        }
        var event = PathParams.eventId(request);
        receipts.set(room, user, type, event, body.thread());
        return EmptyResponse.INSTANCE;
    }
}
