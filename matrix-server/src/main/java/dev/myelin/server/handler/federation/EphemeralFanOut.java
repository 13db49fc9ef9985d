package dev.myelin.server.handler.federation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.federation.sender.TransactionSender;
import dev.myelin.server.handler.receipt.PublicReceiptListener;
import dev.myelin.server.handler.typing.TypingListener;
import dev.myelin.storage.state.StateStore;
import java.util.Set;
import java.util.TreeSet;

/**
 * Local users' typing notifications ({@code m.typing}) and public read receipts ({@code m.receipt})
 * sent to the other servers with members joined to the room, through the transaction queue.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#typing-notifications">Typing notifications</a>
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#receipts">Receipts</a>
 */
public final class EphemeralFanOut implements TypingListener, PublicReceiptListener {
    /** The EDU type of typing notifications. */
    public static final String TYPING = "m.typing";
    /** The EDU type of receipts. */
    public static final String RECEIPT = "m.receipt";

    private final ServerName self;
    private final StateStore state;
    private final TransactionSender sender;

    public EphemeralFanOut(ServerName self, StateStore state, TransactionSender sender) {
        this.self = self;
        this.state = state;
        this.sender = sender;
    }

    @Override
    public void onTyping(RoomId room, UserId user, boolean typing) {
        ObjectNode edu = JsonNodeFactory.instance.objectNode().put("edu_type", TYPING);
        edu.putObject("content")
                .put("room_id", room.value())
                .put("user_id", user.toString())
                .put("typing", typing);
        send(room, edu);
    }

    @Override
    public void onPublicReceipt(RoomId room, UserId user, EventId event, ObjectNode data) {
        ObjectNode edu = JsonNodeFactory.instance.objectNode().put("edu_type", RECEIPT);
        ObjectNode receipt = edu.putObject("content")
                .putObject(room.value())
                .putObject("m.read")
                .putObject(user.toString());
        receipt.putArray("event_ids").add(event.value());
        receipt.set("data", data.deepCopy());
        send(room, edu);
    }

    private void send(RoomId room, ObjectNode edu) {
        Set<ServerName> destinations = new TreeSet<>();
        for (UserId member : state.joinedMembers(room)) {
            destinations.add(member.server());
        }
        destinations.remove(self);
        for (ServerName destination : destinations) {
            sender.sendEdu(destination, edu);
        }
    }
}
