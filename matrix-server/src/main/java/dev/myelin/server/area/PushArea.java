package dev.myelin.server.area;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.push.DeletePushRuleEndpoint;
import dev.myelin.server.api.client.push.GetNotificationsEndpoint;
import dev.myelin.server.api.client.push.GetPushRuleActionsEndpoint;
import dev.myelin.server.api.client.push.GetPushRuleEnabledEndpoint;
import dev.myelin.server.api.client.push.GetPushRuleEndpoint;
import dev.myelin.server.api.client.push.GetPushRulesEndpoint;
import dev.myelin.server.api.client.push.GetPushersEndpoint;
import dev.myelin.server.api.client.push.PutPushRuleActionsEndpoint;
import dev.myelin.server.api.client.push.PutPushRuleEnabledEndpoint;
import dev.myelin.server.api.client.push.PutPushRuleEndpoint;
import dev.myelin.server.api.client.push.SetPusherEndpoint;
import dev.myelin.server.handler.push.NotificationCounter;
import dev.myelin.server.handler.push.NotificationCounts;
import dev.myelin.server.handler.push.PushRulesHandler;
import dev.myelin.server.handler.receipt.StoredReadReceipts;
import dev.myelin.server.handler.sync.UnreadNotifications;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.push.PusherStore;
import dev.myelin.storage.receipt.ReceiptStore;

/**
 * Push notifications: push rules, pushers and notification counts. Offers the rules (sync serves
 * them as account data) and the unread counts of each room in sync.
 */
public final class PushArea {
    private final PushRulesHandler rules;
    private final NotificationCounter counter;

    private PushArea(PushRulesHandler rules, NotificationCounter counter) {
        this.rules = rules;
        this.counter = counter;
    }

    /** {@code accountData} keeps each user's rules; {@code receipts} say where they have read up to. */
    public static PushArea install(
            Router router, Core core, RoomCore rooms, AccountDataStore accountData, ReceiptStore receipts) {
        PushRulesHandler rules = new PushRulesHandler(accountData, core.notifier());
        NotificationCounter counter = new NotificationCounter(
                rooms.rooms(), rooms.state(), rooms.events(), rules, new StoredReadReceipts(receipts, rooms.events()));
        PusherStore pushers = new PusherStore(core.database(), core.clock());
        router.register(new GetPushRulesEndpoint(rules, false));
        router.register(new GetPushRulesEndpoint(rules, true));
        router.register(new GetPushRuleEndpoint(rules));
        router.register(new PutPushRuleEndpoint(rules));
        router.register(new DeletePushRuleEndpoint(rules));
        router.register(new GetPushRuleEnabledEndpoint(rules));
        router.register(new PutPushRuleEnabledEndpoint(rules));
        router.register(new GetPushRuleActionsEndpoint(rules));
        router.register(new PutPushRuleActionsEndpoint(rules));
        router.register(new GetPushersEndpoint(pushers));
        router.register(new SetPusherEndpoint(pushers));
        router.register(new GetNotificationsEndpoint());
        return new PushArea(rules, counter);
    }

    public PushRulesHandler rules() {
        return rules;
    }

    public NotificationCounter counter() {
        return counter;
    }

    /** The {@code unread_notifications} of a joined room in sync, from the notification counter. */
    public UnreadNotifications unread() {
        return (user, room) -> {
            NotificationCounts counts = counter.counts(user, room);
            return JsonNodeFactory.instance
                    .objectNode()
                    .put("notification_count", counts.notificationCount())
                    .put("highlight_count", counts.highlightCount());
        };
    }
}
