package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.receipt.ReceiptHandler;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code m.receipt} EDUs from other servers: public read receipts ({@code m.read}) of the sending
 * server's users, in rooms they are joined to whose server ACL lets the sender in, for events known
 * here. Only {@code ts} and a {@code thread_id} of the receipt's data are kept; other receipt types
 * and anything else are dropped.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#receipts">Receipts</a>
 */
public final class InboundReceipts implements EduHandler {
    private static final Logger LOG = LoggerFactory.getLogger(InboundReceipts.class);

    private final ReceiptHandler receipts;
    private final RoomServerAcls acls;

    public InboundReceipts(ReceiptHandler receipts, RoomServerAcls acls) {
        this.receipts = receipts;
        this.acls = acls;
    }

    @Override
    public void handle(ServerName origin, JsonNode content) {
        for (Map.Entry<String, JsonNode> byRoom : content.properties()) {
            RoomId room;
            try {
                room = RoomId.parse(byRoom.getKey());
            } catch (IllegalArgumentException e) {
                LOG.info("m.receipt from {} dropped for {}: {}", origin, byRoom.getKey(), e.getMessage());
                continue;
            }
            if (!acls.allows(room, origin)) {
                LOG.info("m.receipt from {} dropped: the server ACL of {} denies it", origin, room);
                continue;
            }
            JsonNode read = byRoom.getValue().path(ReceiptHandler.READ);
            if (!read.isObject()) {
                continue;
            }
            for (Map.Entry<String, JsonNode> byUser : read.properties()) {
                receive(origin, room, byUser.getKey(), byUser.getValue());
            }
        }
    }

    private void receive(ServerName origin, RoomId room, String userId, JsonNode receipt) {
        UserId user;
        try {
            user = UserId.parse(userId);
        } catch (IllegalArgumentException e) {
            LOG.info("m.receipt from {} dropped for {}: {}", origin, userId, e.getMessage());
            return;
        }
        if (!user.server().equals(origin)) {
            LOG.info("m.receipt from {} dropped: {} is not its user", origin, user);
            return;
        }
        JsonNode eventIds = receipt.path("event_ids");
        if (!eventIds.isArray() || eventIds.isEmpty() || !eventIds.get(0).isTextual()) {
            return;
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        JsonNode ts = receipt.path("data").path("ts");
        if (ts.canConvertToLong()) {
            data.put("ts", ts.asLong());
        }
        JsonNode thread = receipt.path("data").path("thread_id");
        if (thread.isTextual() && !thread.asText().isEmpty()) {
            data.put("thread_id", thread.asText());
        }
        EventId event;
        try {
            event = EventId.parse(eventIds.get(0).asText());
        } catch (IllegalArgumentException e) {
            return;
        }
        receipts.setRemote(room, user, event, data);
    }
}
