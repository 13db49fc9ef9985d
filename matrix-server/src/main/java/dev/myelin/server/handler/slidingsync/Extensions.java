package dev.myelin.server.handler.slidingsync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.server.handler.push.PushRulesHandler;
import dev.myelin.server.handler.slidingsync.SlidingSyncRequest.Scope;
import dev.myelin.server.handler.slidingsync.SlidingSyncRequest.ToDevice;
import dev.myelin.server.handler.sync.EncryptionSync;
import dev.myelin.server.handler.sync.SyncToken;
import dev.myelin.server.handler.typing.TypingHandler;
import dev.myelin.storage.account.AccountDataChange;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.device.ToDeviceMessage;
import dev.myelin.storage.device.ToDeviceStore;
import dev.myelin.storage.receipt.Receipt;
import dev.myelin.storage.receipt.ReceiptStore;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The extensions of a sliding sync response, each read from the store /sync reads it from, for the
 * change since the connection's last position (everything on its first request): to-device messages
 * (acknowledged ones deleted, as /sync does), end-to-end encryption (device list changes and key
 * counts), account data, receipts and typing of the rooms in the extension's scope.
 *
 * @see <a href="https://github.com/matrix-org/matrix-spec-proposals/pull/3885">MSC3885 (to-device)</a>
 * @see <a href="https://github.com/matrix-org/matrix-spec-proposals/pull/3884">MSC3884 (e2ee)</a>
 */
final class Extensions {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ToDeviceStore inbox;
    private final EncryptionSync encryption;
    private final AccountDataStore accountData;
    private final PushRulesHandler pushRules;
    private final ReceiptStore receipts;
    private final TypingHandler typing;

    Extensions(
            ToDeviceStore inbox,
            EncryptionSync encryption,
            AccountDataStore accountData,
            PushRulesHandler pushRules,
            ReceiptStore receipts,
            TypingHandler typing) {
        this.inbox = inbox;
        this.encryption = encryption;
        this.accountData = accountData;
        this.pushRules = pushRules;
        this.receipts = receipts;
        this.typing = typing;
    }

    /** An extension's answer and whether it carries anything new (which ends a long-poll). */
    record Part(ObjectNode json, boolean news) {}

    /**
     * The device's messages after {@code since} (the {@code next_batch} the client last got), once
     * those up to it are deleted: the client has them. {@code next_batch} stops at the last message
     * sent when the limit cut the queue.
     */
    Part toDevice(UserId user, Optional<DeviceId> device, ToDevice config, long upTo) {
        ObjectNode json = NODES.objectNode();
        ArrayNode events = NODES.arrayNode();
        long since = config.since().orElse(0L);
        long next = Math.max(since, upTo);
        if (device.isPresent()) {
            if (since > 0) {
                inbox.acknowledge(user, device.get(), since);
            }
            List<ToDeviceMessage> pending = inbox.pending(user, device.get(), since, config.limit()).stream()
                    .filter(m -> m.streamId() <= upTo)
                    .toList();
            pending.forEach(m -> events.add(m.message().deepCopy()));
            if (pending.size() == config.limit()) {
                next = pending.getLast().streamId();
            }
        }
        json.put("next_batch", Long.toString(next));
        json.set("events", events);
        return new Part(json, !events.isEmpty());
    }

    /** Device list changes since {@code since} (none on a first request) and the device's key counts. */
    Part e2ee(UserId user, Optional<DeviceId> device, Optional<SyncToken> since, SyncToken now) {
        ObjectNode json = NODES.objectNode();
        ObjectNode lists = since.map(s -> encryption.deviceLists(user, s, now))
                .orElseGet(() -> NODES.objectNode()
                        .<ObjectNode>set("changed", NODES.arrayNode())
                        .set("left", NODES.arrayNode()));
        json.set("device_lists", lists);
        json.set(
                "device_one_time_keys_count",
                device.map(d -> encryption.oneTimeKeyCounts(user, d)).orElseGet(NODES::objectNode));
        json.set(
                "device_unused_fallback_key_types",
                device.map(d -> encryption.unusedFallbackKeyTypes(user, d)).orElseGet(NODES::arrayNode));
        boolean news = !lists.path("changed").isEmpty() || !lists.path("left").isEmpty();
        return new Part(json, news);
    }

    /**
     * Global account data and that of {@code rooms} changed since {@code since} (all of it on a first
     * request, and for {@code fresh} rooms, those the response sends whole). The push rules are the
     * effective ruleset, and always there on a first request.
     */
    Part accountData(UserId user, Optional<SyncToken> since, SyncToken now, Set<RoomId> rooms, Set<RoomId> fresh) {
        ArrayNode global = NODES.arrayNode();
        ObjectNode byRoom = NODES.objectNode();
        long from = since.map(SyncToken::accountData).orElse(0L);
        boolean pushRulesSent = false;
        List<AccountDataChange> changes =
                from == 0 || fresh.isEmpty() ? accountData.changesSince(user, from) : accountData.changesSince(user, 0);
        for (AccountDataChange change : changes) {
            if (change.streamId() > now.accountData()) {
                continue;
            }
            boolean isNew = change.streamId() > from;
            if (change.room().isEmpty()) {
                if (isNew) {
                    boolean rules = change.type().equals(PushRulesHandler.ACCOUNT_DATA_TYPE);
                    pushRulesSent |= rules;
                    global.addObject()
                            .put("type", change.type())
                            .set(
                                    "content",
                                    rules
                                            ? pushRules.accountDataContent(user)
                                            : change.content().deepCopy());
                }
            } else {
                RoomId room = change.room().get();
                if (rooms.contains(room) && (isNew || fresh.contains(room))) {
                    ArrayNode events = byRoom.has(room.value())
                            ? (ArrayNode) byRoom.get(room.value())
                            : byRoom.putArray(room.value());
                    events.addObject()
                            .put("type", change.type())
                            .set("content", change.content().deepCopy());
                }
            }
        }
        boolean news = !global.isEmpty() || !byRoom.isEmpty();
        if (since.isEmpty() && !pushRulesSent) {
            global.addObject()
                    .put("type", PushRulesHandler.ACCOUNT_DATA_TYPE)
                    .set("content", pushRules.accountDataContent(user));
        }
        ObjectNode json = NODES.objectNode();
        json.set("global", global);
        json.set("rooms", byRoom);
        return new Part(json, news);
    }

    /**
     * The receipts of {@code rooms} since {@code since}; for {@code fresh} rooms (sent whole) all their
     * receipts. Private receipts are only their owner's.
     */
    Part receipts(UserId user, Optional<SyncToken> since, SyncToken now, Set<RoomId> rooms, Set<RoomId> fresh) {
        ObjectNode byRoom = NODES.objectNode();
        long from = since.map(SyncToken::receipts).orElse(0L);
        Set<RoomId> old = rooms.stream().filter(r -> !fresh.contains(r)).collect(java.util.stream.Collectors.toSet());
        Set<RoomId> whole = rooms.stream().filter(fresh::contains).collect(java.util.stream.Collectors.toSet());
        addReceipts(user, byRoom, old, from, now);
        addReceipts(user, byRoom, whole, 0, now);
        return new Part(NODES.objectNode().set("rooms", byRoom), !byRoom.isEmpty());
    }

    private void addReceipts(UserId user, ObjectNode byRoom, Collection<RoomId> rooms, long from, SyncToken now) {
        if (rooms.isEmpty()) {
            return;
        }
        for (Receipt r : receipts.changesSince(rooms, from)) {
            if (r.streamId() > now.receipts()
                    || (r.receiptType().equals("m.read.private") && !r.user().equals(user))) {
                continue;
            }
            ObjectNode event = byRoom.has(r.room().value())
                    ? (ObjectNode) byRoom.get(r.room().value())
                    : byRoom.putObject(r.room().value()).put("type", "m.receipt");
            ObjectNode content = event.has("content") ? (ObjectNode) event.get("content") : event.putObject("content");
            ObjectNode byEvent = content.has(r.eventId().value())
                    ? (ObjectNode) content.get(r.eventId().value())
                    : content.putObject(r.eventId().value());
            ObjectNode byType = byEvent.has(r.receiptType())
                    ? (ObjectNode) byEvent.get(r.receiptType())
                    : byEvent.putObject(r.receiptType());
            byType.set(r.user().toString(), r.data().deepCopy());
        }
    }

    /** Who types in those of {@code rooms} where that changed since {@code since} (or ever, on a first request). */
    Part typing(Optional<SyncToken> since, Set<RoomId> rooms, Set<RoomId> fresh) {
        ObjectNode byRoom = NODES.objectNode();
        long from = since.map(SyncToken::typing).orElse(0L);
        for (RoomId room : rooms) {
            if (typing.changedSince(room, fresh.contains(room) ? 0 : from)) {
                ArrayNode users = byRoom.putObject(room.value())
                        .put("type", "m.typing")
                        .putObject("content")
                        .putArray("user_ids");
                typing.typing(room).forEach(u -> users.add(u.toString()));
            }
        }
        return new Part(NODES.objectNode().set("rooms", byRoom), !byRoom.isEmpty());
    }

    /** The rooms an extension covers: those of the lists and subscriptions its scope names. */
    static Set<RoomId> inScope(Scope scope, Map<String, List<RoomId>> lists, Set<RoomId> subscribed) {
        Set<RoomId> out = new java.util.LinkedHashSet<>();
        for (String key : scope.lists()) {
            if (key.equals("*")) {
                lists.values().forEach(out::addAll);
            } else {
                out.addAll(lists.getOrDefault(key, List.of()));
            }
        }
        for (String room : scope.rooms()) {
            if (room.equals("*")) {
                out.addAll(subscribed);
            } else {
                subscribed.stream().filter(r -> r.value().equals(room)).forEach(out::add);
            }
        }
        return out;
    }
}
