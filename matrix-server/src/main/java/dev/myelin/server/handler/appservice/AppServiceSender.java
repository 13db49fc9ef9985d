package dev.myelin.server.handler.appservice;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.server.config.AppServiceRegistration;
import dev.myelin.server.handler.presence.PresenceStatus;
import dev.myelin.server.handler.room.ClientEvents;
import dev.myelin.server.handler.room.NewEventListener;
import dev.myelin.storage.appservice.AppServicePositionStore;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.receipt.Receipt;
import java.util.List;
import java.util.Optional;

/**
 * Pushes events to the application services that have a {@code url}: one {@link AppServiceQueue}
 * each, so that a slow or failing service holds up only itself. Woken by every event this process
 * persists; the queues also look for events other processes persisted. Typing, read receipts and
 * presence go to the services registered with {@code receive_ephemeral}.
 */
public final class AppServiceSender implements NewEventListener, AutoCloseable {
    private final List<AppServiceQueue> queues;
    private final AppServiceInterest interest;
    private final Clock clock;

    public AppServiceSender(
            AppServices services,
            AppServiceClient client,
            EventStore events,
            AppServiceInterest interest,
            ClientEvents clientEvents,
            AppServicePositionStore positions,
            AppServiceQueries queries,
            Clock clock) {
        this.interest = interest;
        this.clock = clock;
        this.queues = services.all().stream()
                .filter(s -> s.url().isPresent())
                .map(s -> new AppServiceQueue(
                        s,
                        client,
                        events,
                        interest,
                        clientEvents,
                        new ClientEvents.Viewer(services.senderOf(s), Optional.empty()),
                        positions,
                        queries,
                        clock))
                .toList();
    }

    /** Starts every service's queue. */
    public void start() {
        queues.forEach(AppServiceQueue::start);
    }

    @Override
    public void onNewEvent(Pdu event, long streamOrdering) {
        queues.forEach(AppServiceQueue::wake);
    }

    /** A local user started or stopped typing: the room's typing users go to interested services. */
    public void onTyping(RoomId room, List<UserId> typing) {
        ephemeral(room, () -> {
            ObjectNode event = JsonNodeFactory.instance.objectNode();
            event.put("type", "m.typing").put("room_id", room.toString());
            com.fasterxml.jackson.databind.node.ArrayNode ids =
                    event.putObject("content").putArray("user_ids");
            typing.forEach(user -> ids.add(user.toString()));
            return event;
        });
    }

    /** A read receipt was set. */
    public void onReceipt(Receipt receipt) {
        ephemeral(receipt.room(), () -> {
            ObjectNode event = JsonNodeFactory.instance.objectNode();
            event.put("type", "m.receipt").put("room_id", receipt.room().toString());
            ObjectNode byUser = event.putObject("content")
                    .putObject(receipt.eventId().toString())
                    .putObject(receipt.receiptType());
            byUser.set(receipt.user().toString(), receipt.data().deepCopy());
            return event;
        });
    }

    /** A local user's presence changed: it goes to the services whose namespaces hold the user. */
    public void onPresence(PresenceStatus status) {
        for (AppServiceQueue queue : queues) {
            AppServiceRegistration service = queue.service();
            if (service.receiveEphemeral()
                    && interest.claimsUser(service, status.user().toString())) {
                ObjectNode event = JsonNodeFactory.instance.objectNode();
                event.put("type", "m.presence").put("sender", status.user().toString());
                event.set("content", status.content(clock.nowMillis()));
                queue.offerEphemeral(event);
            }
        }
    }

    private void ephemeral(RoomId room, java.util.function.Supplier<ObjectNode> event) {
        for (AppServiceQueue queue : queues) {
            AppServiceRegistration service = queue.service();
            if (service.receiveEphemeral() && interest.isInterestedInRoom(service, room)) {
                queue.offerEphemeral(event.get());
            }
        }
    }

    @Override
    public void close() {
        queues.forEach(AppServiceQueue::close);
    }
}
