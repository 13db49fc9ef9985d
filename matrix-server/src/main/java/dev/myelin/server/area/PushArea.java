package dev.myelin.server.area;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.client.IpBlocklist;
import dev.myelin.http.client.MatrixHttpClient;
import dev.myelin.http.client.OutboundConfig;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.push.DeletePushRuleEndpoint;
import dev.myelin.server.api.client.push.GetNotificationsEndpoint;
import dev.myelin.server.api.client.push.GetPushRuleActionsEndpoint;
import dev.myelin.server.api.client.push.GetPushRuleEnabledEndpoint;
import dev.myelin.server.api.client.push.GetPushRuleEndpoint;
import dev.myelin.server.api.client.push.GetPushRulesEndpoint;
import dev.myelin.server.api.client.push.GetPushRulesOfKindEndpoint;
import dev.myelin.server.api.client.push.GetPushersEndpoint;
import dev.myelin.server.api.client.push.MalformedPushRulePathEndpoint;
import dev.myelin.server.api.client.push.PutPushRuleActionsEndpoint;
import dev.myelin.server.api.client.push.PutPushRuleEnabledEndpoint;
import dev.myelin.server.api.client.push.PutPushRuleEndpoint;
import dev.myelin.server.api.client.push.SetPusherEndpoint;
import dev.myelin.server.config.OutboundSettings;
import dev.myelin.server.handler.push.NotificationCounter;
import dev.myelin.server.handler.push.NotificationCounts;
import dev.myelin.server.handler.push.NotificationEvaluator;
import dev.myelin.server.handler.push.NotificationList;
import dev.myelin.server.handler.push.PushNotifier;
import dev.myelin.server.handler.push.PushRulesHandler;
import dev.myelin.server.handler.push.PushSender;
import dev.myelin.server.handler.push.ReadReceiptPosition;
import dev.myelin.server.handler.push.UnreadTallies;
import dev.myelin.server.handler.receipt.StoredReadReceipts;
import dev.myelin.server.handler.sync.UnreadNotifications;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.push.NotificationStore;
import dev.myelin.storage.push.PushQueueStore;
import dev.myelin.storage.push.PusherStore;
import java.time.Duration;
import java.util.List;

/**
 * Push notifications: push rules, pushers, notification counts, the notifications list, and
 * sending notifications to push gateways. Offers the rules (sync serves them as account data) and
 * the unread counts of each room in sync. Every persisted event is evaluated for the users it may
 * notify, and every read receipt updates the reader's unread count at their gateways; both happen
 * on a virtual thread of their own, stopped by {@link #close()}.
 */
public final class PushArea implements AutoCloseable {
    private final PushRulesHandler rules;
    private final NotificationCounter counter;
    private final PushNotifier notifier;
    private final MatrixHttpClient http;
    private final PushSender sender;

    private PushArea(
            PushRulesHandler rules,
            NotificationCounter counter,
            PushNotifier notifier,
            MatrixHttpClient http,
            PushSender sender) {
        this.sender = sender;
        this.rules = rules;
        this.counter = counter;
        this.notifier = notifier;
        this.http = http;
    }

    /**
     * {@code accountData} keeps each user's rules; {@code ephemeral}'s receipts say where they have
     * read up to; {@code outbound} says where push gateways may be and which CAs they may use.
     */
    public static PushArea install(
            Router router,
            Core core,
            RoomCore rooms,
            AccountDataStore accountData,
            EphemeralArea ephemeral,
            OutboundSettings outbound) {
        PushRulesHandler rules = new PushRulesHandler(accountData, core.notifier());
        ReadReceiptPosition readPosition = new StoredReadReceipts(ephemeral.receipts(), rooms.events());
        NotificationCounter counter = new NotificationCounter(
                rooms.rooms(),
                rooms.state(),
                rooms.events(),
                rules,
                readPosition,
                new UnreadTallies(
                        rooms.events(),
                        ephemeral.receipts(),
                        accountData,
                        core.database().invalidation()));
        PusherStore pushers = new PusherStore(core.database(), core.clock());
        NotificationStore notifications = new NotificationStore(core.database());
        MatrixHttpClient http = MatrixHttpClient.create(OutboundConfig.defaults()
                .withBlocklist(IpBlocklist.of(outbound.blockedRanges(), outbound.allowedRanges()))
                .withTrust(outbound.trust())
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30))
                .withMaxResponseBytes(64 * 1024));
        PushSender sender = new PushSender(
                pushers, new PushQueueStore(core.database()), http, counter, rooms.state(), core.clock());
        PushNotifier notifier = new PushNotifier(
                rooms.events(),
                new NotificationEvaluator(core.serverName(), rooms.rooms(), rooms.state(), rooms.events(), rules),
                notifications,
                sender,
                core.clock());
        rooms.eventListeners().add(notifier);
        ephemeral.onReadReceipt(notifier::onReadReceipt);
        router.register(new GetPushRulesEndpoint(rules, false));
        router.register(new GetPushRulesEndpoint(rules, true));
        router.register(new GetPushRulesOfKindEndpoint(rules));
        router.register(new GetPushRuleEndpoint(rules));
        router.register(new PutPushRuleEndpoint(rules));
        router.register(new DeletePushRuleEndpoint(rules));
        router.register(new GetPushRuleEnabledEndpoint(rules));
        router.register(new PutPushRuleEnabledEndpoint(rules));
        router.register(new GetPushRuleActionsEndpoint(rules));
        router.register(new PutPushRuleActionsEndpoint(rules));
        for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE)) {
            router.register(new MalformedPushRulePathEndpoint(method));
        }
        router.register(new GetPushersEndpoint(pushers));
        router.register(new SetPusherEndpoint(pushers));
        router.register(new GetNotificationsEndpoint(
                new NotificationList(notifications, rooms.events(), rooms.clientEvents(), readPosition)));
        return new PushArea(rules, counter, notifier, http, sender);
    }

    /** Stops evaluating and sending notifications, and the push gateways' HTTP client. */
    @Override
    public void close() {
        try {
            notifier.close();
        } finally {
            http.close();
        }
    }

    public PushRulesHandler rules() {
        return rules;
    }

    public NotificationCounter counter() {
        return counter;
    }

    /** What sends notifications to push gateways. */
    public PushSender sender() {
        return sender;
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
