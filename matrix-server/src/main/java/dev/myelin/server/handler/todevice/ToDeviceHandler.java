package dev.myelin.server.handler.todevice;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.room.TransactionIds;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.storage.account.Device;
import dev.myelin.storage.account.DeviceStore;
import dev.myelin.storage.device.ToDeviceStore;
import dev.myelin.storage.event.ClientTransaction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends to-device messages: validates a {@code /sendToDevice} body as a whole, expands {@code *}
 * to every device of the user, queues one message per device in its inbox and wakes the
 * recipients' syncs. A retried transaction is not sent again.
 *
 * <p>Only local users are served: messages to users of other servers are dropped with a log line,
 * since federation is not built yet. Unknown local users and devices are skipped silently, as the
 * sender cannot tell a deleted device from a slow one anyway.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#send-to-device-messaging">Send-to-Device messaging</a>
 */
public final class ToDeviceHandler {
    /**
     * The largest {@code content} of one message, in bytes of its JSON. Olm-encrypted key shares are a
     * few KiB; the limit keeps a single sync response and inbox row bounded.
     */
    public static final int MAX_CONTENT_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ToDeviceHandler.class);
    private static final String ALL_DEVICES = ToDeviceMessages.ALL_DEVICES;

    private final ServerName serverName;
    private final ToDeviceStore inbox;
    private final DeviceStore devices;
    private final Notifier notifier;
    private final TransactionIds transactions;

    public ToDeviceHandler(
            ServerName serverName,
            ToDeviceStore inbox,
            DeviceStore devices,
            Notifier notifier,
            TransactionIds transactions) {
        this.serverName = serverName;
        this.inbox = inbox;
        this.devices = devices;
        this.notifier = notifier;
        this.transactions = transactions;
    }

    /**
     * Sends {@code body.messages} once per {@code (scope, txnId)}, also across restarts: the
     * transaction is stored with the messages it queued.
     *
     * @param scope the sender's device (or token), which transaction ids are unique within
     */
    public void send(UserId sender, String scope, String eventType, String txnId, ToDeviceMessages body) {
        if (eventType.isEmpty()) {
            throw MatrixException.invalidParam("eventType", "must not be empty");
        }
        if (txnId.isEmpty()) {
            throw MatrixException.invalidParam("txnId", "must not be empty");
        }
        Map<UserId, Map<String, ObjectNode>> messages = body.byUser();
        // the device only matters for events (unsigned.transaction_id); the scope already names it
        transactions.deliverOnce(
                scope,
                "sendToDevice/" + eventType,
                txnId,
                sender,
                Optional.empty(),
                txn -> deliver(sender, eventType, messages, txn));
    }

    private void deliver(
            UserId sender, String eventType, Map<UserId, Map<String, ObjectNode>> messages, ClientTransaction txn) {
        Map<UserId, Map<DeviceId, ObjectNode>> queued = new LinkedHashMap<>();
        Set<String> remoteServers = new TreeSet<>();
        messages.forEach((user, byDevice) -> {
            if (!user.server().equals(serverName)) {
                remoteServers.add(user.server().toString());
                return;
            }
            Set<DeviceId> known = new TreeSet<>(
                    devices.list(user).stream().map(Device::deviceId).toList());
            Map<DeviceId, ObjectNode> targets = new LinkedHashMap<>();
            // "*" first, so that a device also named on its own gets its own message
            if (byDevice.containsKey(ALL_DEVICES)) {
                ObjectNode message = message(sender, eventType, byDevice.get(ALL_DEVICES));
                known.forEach(d -> targets.put(d, message));
            }
            byDevice.forEach((device, content) -> {
                if (!device.equals(ALL_DEVICES) && known.contains(new DeviceId(device))) {
                    targets.put(new DeviceId(device), message(sender, eventType, content));
                }
            });
            if (!targets.isEmpty()) {
                queued.put(user, targets);
            }
        });
        if (!remoteServers.isEmpty()) {
            LOG.info(
                    "Dropped {} to-device messages from {} for users on {}: federation is not implemented",
                    eventType,
                    sender,
                    remoteServers);
        }
        // the transaction is recorded even when nothing is queued, so a retry is not sent either
        inbox.send(queued, Optional.of(txn));
        queued.keySet().forEach(notifier::wakeUser);
    }

    private static ObjectNode message(UserId sender, String eventType, ObjectNode content) {
        ObjectNode message = JsonNodeFactory.instance
                .objectNode()
                .put("sender", sender.toString())
                .put("type", eventType);
        message.set("content", content);
        return message;
    }
}
