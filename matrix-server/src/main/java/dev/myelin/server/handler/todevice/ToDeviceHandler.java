package dev.myelin.server.handler.todevice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.federation.client.FederationDomainWhitelist;
import dev.myelin.federation.sender.TransactionSender;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.error.MatrixException;
import dev.myelin.server.handler.room.TransactionIds;
import dev.myelin.server.handler.sync.Notifier;
import dev.myelin.storage.account.Device;
import dev.myelin.storage.account.DeviceStore;
import dev.myelin.storage.device.ToDeviceStore;
import dev.myelin.storage.event.ClientTransaction;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends to-device messages: validates a {@code /sendToDevice} body as a whole, expands {@code *}
 * to every device of the user, queues one message per device in its inbox and wakes the
 * recipients' syncs. A retried transaction is not sent again.
 *
 * <p>Messages for users of other servers go to each server in one {@code m.direct_to_device} EDU
 * through the transaction queue, with a {@code message_id} the receiver deduplicates by; {@link
 * #receive} is the other end, delivering such an EDU from another server to local devices. Unknown
 * local users and devices are skipped silently, as the sender cannot tell a deleted device from a
 * slow one anyway.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#send-to-device-messaging">Send-to-Device messaging</a>
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#send-to-device-messaging">over federation</a>
 */
public final class ToDeviceHandler {
    /**
     * The largest {@code content} of one message, in bytes of its JSON. Olm-encrypted key shares are a
     * few KiB; the limit keeps a single sync response and inbox row bounded.
     */
    public static final int MAX_CONTENT_BYTES = 64 * 1024;

    /** The EDU type of to-device messages between servers. */
    public static final String EDU_TYPE = "m.direct_to_device";

    private static final Logger LOG = LoggerFactory.getLogger(ToDeviceHandler.class);
    private static final String ALL_DEVICES = ToDeviceMessages.ALL_DEVICES;
    private static final char[] ID_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final ServerName serverName;
    private final ToDeviceStore inbox;
    private final DeviceStore devices;
    private final Notifier notifier;
    private final TransactionIds transactions;
    private final TransactionSender federation;
    private final FederationDomainWhitelist whitelist;
    private final SecureRandom random = new SecureRandom();

    public ToDeviceHandler(
            ServerName serverName,
            ToDeviceStore inbox,
            DeviceStore devices,
            Notifier notifier,
            TransactionIds transactions,
            TransactionSender federation,
            FederationDomainWhitelist whitelist) {
        this.serverName = serverName;
        this.inbox = inbox;
        this.devices = devices;
        this.notifier = notifier;
        this.transactions = transactions;
        this.federation = federation;
        this.whitelist = whitelist;
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

    /**
     * Delivers an {@code m.direct_to_device} EDU from {@code origin} to local devices, once per
     * {@code message_id}. An EDU that does not hold what the spec says, or whose sender is not
     * {@code origin}'s user, is dropped with a log line: the transaction around it still succeeds.
     */
    public void receive(ServerName origin, JsonNode content) {
        String problem = null;
        UserId sender = null;
        Map<UserId, Map<String, ObjectNode>> messages = Map.of();
        String type = content.path("type").isTextual() ? content.path("type").asText() : "";
        String messageId = content.path("message_id").isTextual()
                ? content.path("message_id").asText()
                : "";
        try {
            sender = UserId.parse(content.path("sender").asText(""));
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.set("messages", content.path("messages"));
            messages = EndpointJson.fromTree(body, ToDeviceMessages.class).byUser();
        } catch (RuntimeException e) {
            problem = e.getMessage();
        }
        if (problem == null && !sender.server().equals(origin)) {
            problem = "the sender " + sender + " is not a user of " + origin;
        } else if (problem == null && (type.isEmpty() || messageId.isEmpty())) {
            problem = "type and message_id must be non-empty strings";
        }
        if (problem != null) {
            LOG.info("Dropped an {} EDU from {}: {}", EDU_TYPE, origin, problem);
            return;
        }
        Map<UserId, Map<String, ObjectNode>> local = new LinkedHashMap<>();
        messages.forEach((user, byDevice) -> {
            if (user.server().equals(serverName)) {
                local.put(user, byDevice);
            }
        });
        UserId from = sender;
        Map<UserId, Map<String, ObjectNode>> toDeliver = local;
        // the sender may send an EDU again in a later transaction; its message id says it is the same
        transactions.deliverOnce(
                "federation/" + origin,
                EDU_TYPE,
                messageId,
                from,
                Optional.empty(),
                txn -> deliverLocal(from, type, toDeliver, txn));
    }

    private void deliver(
            UserId sender, String eventType, Map<UserId, Map<String, ObjectNode>> messages, ClientTransaction txn) {
        Map<UserId, Map<String, ObjectNode>> local = new LinkedHashMap<>();
        Map<ServerName, Map<UserId, Map<String, ObjectNode>>> remote =
                new TreeMap<>(Comparator.comparing(ServerName::toString));
        messages.forEach((user, byDevice) -> {
            if (user.server().equals(serverName)) {
                local.put(user, byDevice);
            } else {
                remote.computeIfAbsent(user.server(), s -> new LinkedHashMap<>())
                        .put(user, byDevice);
            }
        });
        // queued before the local messages and the transaction are stored: a crash in between sends
        // the EDU again on the client's retry, which the receiver deduplicates by message id
        remote.forEach((server, byUser) -> {
            if (whitelist.allows(server)) {
                federation.sendEdu(server, edu(sender, eventType, byUser));
            } else {
                LOG.info("Dropped {} to-device messages from {} for {}: not federated with", eventType, sender, server);
            }
        });
        deliverLocal(sender, eventType, local, txn);
    }

    private void deliverLocal(
            UserId sender, String eventType, Map<UserId, Map<String, ObjectNode>> messages, ClientTransaction txn) {
        Map<UserId, Map<DeviceId, ObjectNode>> queued = new LinkedHashMap<>();
        messages.forEach((user, byDevice) -> {
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
        // the transaction is recorded even when nothing is queued, so a retry is not sent either
        inbox.send(queued, Optional.of(txn));
        queued.keySet().forEach(notifier::wakeUser);
    }

    private ObjectNode edu(UserId sender, String eventType, Map<UserId, Map<String, ObjectNode>> byUser) {
        ObjectNode edu = JsonNodeFactory.instance.objectNode().put("edu_type", EDU_TYPE);
        ObjectNode content = edu.putObject("content")
                .put("sender", sender.toString())
                .put("type", eventType)
                .put("message_id", messageId());
        ObjectNode messages = content.putObject("messages");
        byUser.forEach((user, byDevice) -> {
            ObjectNode devicesNode = messages.putObject(user.toString());
            byDevice.forEach(devicesNode::set);
        });
        return edu;
    }

    private String messageId() {
        char[] id = new char[16];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
        }
        return new String(id);
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
