package dev.myelin.server.handler.push;

import dev.myelin.core.event.content.Membership;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.client.HttpTransport;
import dev.myelin.storage.push.PushQueueStore;
import dev.myelin.storage.push.Pusher;
import dev.myelin.storage.push.PusherStore;
import dev.myelin.storage.state.StateStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Sends users' notifications to their {@code http} pushers: one {@link PusherQueue} per pusher,
 * so a slow or failing gateway holds up only its own pushers. Each notification carries the
 * user's unread count across their joined rooms, as the Push Gateway API's {@code counts.unread}
 * asks; when a user reads a room, their pushers get the new count alone. Queued notifications are
 * stored until sent ({@link PushQueueStore}), and {@link #resume} sends what an earlier run left.
 */
public final class PushSender implements AutoCloseable {
    private final PusherStore pushers;
    private final PushQueueStore queued;
    private final PushGateway gateway;
    private final NotificationCounter counter;
    private final StateStore state;
    private final Clock clock;
    private final Map<Key, PusherQueue> queues = new ConcurrentHashMap<>();
    private volatile HandOff handOff;
    private volatile Predicate<UserId> sendsFor = user -> true;

    /** Where pushes go when another process of this homeserver sends them ({@code pusher_instances}). */
    public interface HandOff {
        void push(Pusher pusher, NotifyRequest request);
    }

    /**
     * Hands every push to {@code handOff} instead of sending it from this process; for start-up.
     * {@code sendsFor} tells the users whose pushes this process sends, whose stored
     * notifications {@link #resume} takes up.
     */
    public void handTo(HandOff handOff, Predicate<UserId> sendsFor) {
        this.handOff = handOff;
        this.sendsFor = sendsFor;
    }

    /**
     * Sends the notifications an earlier run of this process stored and did not send, for the
     * users it sends pushes for; those of pushers that no longer exist are dropped.
     */
    public void resume() {
        Predicate<UserId> mine = sendsFor;
        for (PushQueueStore.Queued stored : queued.all()) {
            if (!mine.test(stored.user())) {
                continue;
            }
            Optional<Pusher> pusher = httpPushers(stored.user()).stream()
                    .filter(p -> p.appId().equals(stored.appId()) && p.pushkey().equals(stored.pushkey()))
                    .findFirst();
            if (pusher.isPresent()) {
                queue(pusher.get()).resume(stored);
            } else {
                queued.delete(stored.id());
            }
        }
    }

    /** Sends a push that another process of this homeserver made, if the pusher still exists. */
    public void pushHandedOver(UserId user, String appId, String pushkey, NotifyRequest request) {
        httpPushers(user).stream()
                .filter(p -> p.appId().equals(appId) && p.pushkey().equals(pushkey))
                .findFirst()
                .ifPresent(p -> queue(p).add(request));
    }

    private void enqueue(Pusher pusher, NotifyRequest request) {
        HandOff elsewhere = handOff;
        if (elsewhere != null) {
            elsewhere.push(pusher, request);
        } else {
            queue(pusher).add(request);
        }
    }

    /** {@code http} posts to gateways; {@code counter} and {@code state} give the unread count. */
    public PushSender(
            PusherStore pushers,
            PushQueueStore queued,
            HttpTransport http,
            NotificationCounter counter,
            StateStore state,
            Clock clock) {
        this.pushers = pushers;
        this.queued = queued;
        this.gateway = new PushGateway(http);
        this.counter = counter;
        this.state = state;
        this.clock = clock;
    }

    private record Key(UserId user, String appId, String pushkey) {
        static Key of(Pusher pusher) {
            return new Key(pusher.user(), pusher.appId(), pusher.pushkey());
        }
    }

    /** Pushes the event of {@code evaluated} to each pusher of {@code notified}'s user. */
    public void send(NotificationEvaluator.Evaluated evaluated, NotificationEvaluator.Notified notified) {
        List<Pusher> targets = httpPushers(notified.user());
        if (targets.isEmpty()) {
            return;
        }
        long unread = unread(notified.user());
        for (Pusher pusher : targets) {
            enqueue(
                    pusher,
                    NotifyRequest.forEvent(
                            pusher,
                            evaluated.event().pdu(),
                            notified.result(),
                            unread,
                            evaluated.roomName(),
                            evaluated.senderDisplayName()));
        }
    }

    /** Sends {@code user}'s current unread count to each of their pushers. */
    public void sendBadge(UserId user) {
        List<Pusher> targets = httpPushers(user);
        if (targets.isEmpty()) {
            return;
        }
        long unread = unread(user);
        for (Pusher pusher : targets) {
            enqueue(pusher, NotifyRequest.badge(pusher, unread));
        }
    }

    /** Stops every pusher's sender; what was waiting stays stored for {@link #resume}. */
    @Override
    public void close() {
        queues.values().forEach(PusherQueue::close);
        queues.clear();
    }

    private List<Pusher> httpPushers(UserId user) {
        return pushers.forUser(user).stream()
                .filter(p -> p.kind().equals("http"))
                .toList();
    }

    private PusherQueue queue(Pusher pusher) {
        return queues.computeIfAbsent(
                Key.of(pusher), key -> new PusherQueue(pusher, gateway, queued, clock, this::rejected));
    }

    /** The gateway says the pushkey is no longer valid: the pusher goes, as the spec requires. */
    private void rejected(Pusher pusher) {
        queues.remove(Key.of(pusher));
        pushers.delete(pusher.user(), pusher.appId(), pusher.pushkey());
    }

    /** The user's unread notifications summed over their joined rooms. */
    private long unread(UserId user) {
        long total = 0;
        for (RoomId room : state.roomsForUser(user, Membership.JOIN)) {
            total += counter.counts(user, room).notificationCount();
        }
        return total;
    }
}
