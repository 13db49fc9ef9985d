package dev.myelin.server.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.api.TransactionScope;
import dev.myelin.server.handler.admin.AdminBody;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.server.handler.admin.ServerNotices;
import dev.myelin.server.handler.room.TransactionIds;
import java.util.Optional;

/**
 * {@code POST /_synapse/admin/v1/send_server_notice} and {@code PUT
 * /_synapse/admin/v1/send_server_notice/{txnId}} (sent once per transaction id): a server admin
 * sends {@code content} (as an event of {@code type}, default {@code m.room.message}; a state event
 * with {@code state_key}) from the server notices user to the local user {@code user_id}; 400 when
 * server notices are not configured.
 */
public final class SendServerNoticeEndpoint extends JsonEndpoint<ObjectNode, SendServerNoticeEndpoint.Response> {
    static final String PATH = "/_synapse/admin/v1/send_server_notice";
    /** Sends a notice. */
    public static final EndpointSpec<ObjectNode, Response> POST =
            EndpointSpec.post(PATH, ObjectNode.class, Response.class);
    /** Sends a notice once per transaction id. */
    public static final EndpointSpec<ObjectNode, Response> PUT =
            EndpointSpec.put(PATH + "/{txnId}", ObjectNode.class, Response.class);

    /** The id of the notice's event. */
    public record Response(String eventId) {}

    private final AdminUsers admin;
    private final ServerNotices notices;
    private final TransactionIds transactions;
    private final boolean withTxnId;

    public SendServerNoticeEndpoint(
            AdminUsers admin, ServerNotices notices, TransactionIds transactions, boolean withTxnId) {
        super(withTxnId ? PUT : POST);
        this.admin = admin;
        this.notices = notices;
        this.transactions = transactions;
        this.withTxnId = withTxnId;
    }

    @Override
    protected Response handle(MatrixRequest request, ObjectNode body) {
        Requester requester = request.requireRequester();
        admin.requireAdmin(requester);
        notices.requireEnabled();
        String userId = AdminBody.string(body, "user_id").orElseThrow(() -> MatrixException.missingParam("user_id"));
        JsonNode content = body.get("content");
        if (content == null || content.isNull()) {
            throw MatrixException.missingParam("content");
        }
        if (!content.isObject()) {
            throw AdminUsers.invalid("'content' parameter is not of type object");
        }
        String type = AdminBody.string(body, "type").orElse("m.room.message");
        Optional<String> stateKey = AdminBody.string(body, "state_key");
        UserId recipient = admin.localUser(userId, "Server notices can only be sent to local users");
        notices.requireRecipient(recipient);
        ObjectNode message = (ObjectNode) content;
        if (!withTxnId) {
            return new Response(notices.send(recipient, type, stateKey, message, Optional.empty())
                    .value());
        }
        EventId id = transactions.sendOnce(
                TransactionScope.of(request),
                "send_server_notice",
                request.pathParam("txnId"),
                requester.userId(),
                requester.deviceId(),
                txn -> notices.send(recipient, type, stateKey, message, Optional.of(txn)));
        return new Response(id.value());
    }
}
