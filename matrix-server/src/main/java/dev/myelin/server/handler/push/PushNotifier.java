package dev.myelin.server.handler.push;

import dev.myelin.core.event.Pdu;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.server.handler.room.NewEventListener;
import dev.myelin.storage.event.EventStore;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.storage.push.Notification;
import dev.myelin.storage.push.NotificationStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns persisted events into notifications: evaluates each new event against the push rules of
 * the users it may concern ({@link NotificationEvaluator}), records a {@link Notification} for
 * every user it notifies (for {@code GET /notifications}), and hands them to the
 * {@link PushSender}. A read receipt sends the reader's new unread count to their pushers.
 *
 * <p>The work runs on one virtual thread, off the request that persisted the event, in the order
 * events were persisted; a send never waits for it. Events that queued up while it worked are
 * taken together, and their notifications recorded in one transaction: on SQLite every write
 * transaction waits for the one writer the persister needs too.
 */
public final class PushNotifier implements NewEventListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushNotifier.class);

    private final EventStore events;
    private final NotificationEvaluator evaluator;
    private final NotificationStore notifications;
    private final PushSender sender;
    private final Clock clock;
    /** Most events evaluated before their notifications are recorded. */
    private static final int MAX_BATCH = 256;

    private final ConcurrentLinkedQueue<EventId> pending = new ConcurrentLinkedQueue<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("push-notifier").factory());

    public PushNotifier(
            EventStore events,
            NotificationEvaluator evaluator,
            NotificationStore notifications,
            PushSender sender,
            Clock clock) {
        this.events = events;
        this.evaluator = evaluator;
        this.notifications = notifications;
        this.sender = sender;
        this.clock = clock;
    }

    @Override
    public void onNewEvent(Pdu event, long streamOrdering) {
        pending.add(event.eventId());
        submit(this::processPending);
    }

    /** {@code user} moved their read receipt in {@code room}: their unread count changed. */
    public void onReadReceipt(RoomId room, UserId user) {
        submit(() -> sender.sendBadge(user));
    }

    @Override
    public void close() {
        worker.shutdownNow();
        sender.close();
    }

    private void submit(Runnable work) {
        try {
            worker.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.warn("push notification work failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // shutting down: nothing is pushed any more
        }
    }

    /** Evaluates the events queued so far, records their notifications at once, then pushes them. */
    private void processPending() {
        List<NotificationEvaluator.Evaluated> notifying = new ArrayList<>();
        EventId next;
        for (int taken = 0; taken < MAX_BATCH && (next = pending.poll()) != null; taken++) {
            try {
                events.get(next)
                        .map(evaluator::evaluate)
                        .filter(evaluated -> !evaluated.notified().isEmpty())
                        .ifPresent(notifying::add);
            } catch (RuntimeException e) {
                LOG.warn("evaluating push rules for {} failed", next, e);
            }
        }
        if (notifying.isEmpty()) {
            return;
        }
        long now = clock.nowMillis();
        List<Notification> rows = new ArrayList<>();
        for (NotificationEvaluator.Evaluated evaluated : notifying) {
            StoredEvent event = evaluated.event();
            for (NotificationEvaluator.Notified n : evaluated.notified()) {
                rows.add(new Notification(
                        n.user(),
                        event.eventId(),
                        event.pdu().roomId(),
                        event.streamOrdering(),
                        event.topologicalOrdering(),
                        n.result().actionsJson(),
                        n.result().highlights(),
                        now));
            }
        }
        notifications.addAll(rows);
        for (NotificationEvaluator.Evaluated evaluated : notifying) {
            evaluated.notified().forEach(n -> sender.send(evaluated, n));
        }
    }
}
