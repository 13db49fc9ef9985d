package dev.myelin.server.handler.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.device.ToDeviceMessage;
import dev.myelin.storage.device.ToDeviceStore;
import java.util.List;
import java.util.Optional;

/**
 * The {@code to_device} part of a sync: the syncing device's pending messages in order of arrival,
 * at most {@link #LIMIT} per response. A message is deleted only once a later sync presents a
 * {@code since} token past it, so a response lost on the way is answered again by a sync that
 * repeats the old token. When the limit cuts the queue, the token's to-device position stops at
 * the last message sent, and the next sync carries on from there.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#send-to-device-messaging">Send-to-Device messaging</a>
 */
final class ToDeviceSync {
    /** The spec recommends 100 messages per sync response. */
    static final int LIMIT = 100;

    private final ToDeviceStore inbox;

    ToDeviceSync(ToDeviceStore inbox) {
        this.inbox = inbox;
    }

    /** The messages of one response and the to-device position of its {@code next_batch}. */
    record Batch(ArrayNode events, long position) {
        boolean isEmpty() {
            return events.isEmpty();
        }

        SyncToken applyTo(SyncToken now) {
            return new SyncToken(
                    now.events(),
                    now.accountData(),
                    now.receipts(),
                    now.typing(),
                    position,
                    now.deviceLists(),
                    now.presence());
        }
    }

    /**
     * Acknowledges what {@code since} says the device has seen, then reads what follows it up to
     * {@code upTo}. Tokens without a device (none are issued today) see no messages.
     */
    Batch read(UserId user, Optional<DeviceId> device, Optional<SyncToken> since, long upTo) {
        ArrayNode events = JsonNodeFactory.instance.arrayNode();
        if (device.isEmpty()) {
            return new Batch(events, upTo);
        }
        long from = since.map(SyncToken::toDevice).orElse(0L);
        if (from > 0) {
            inbox.acknowledge(user, device.get(), from);
        }
        List<ToDeviceMessage> pending = inbox.pending(user, device.get(), from, LIMIT).stream()
                .filter(m -> m.streamId() <= upTo)
                .toList();
        pending.forEach(m -> events.add(m.message().deepCopy()));
        long position = pending.size() == LIMIT ? pending.getLast().streamId() : upTo;
        return new Batch(events, position);
    }
}
