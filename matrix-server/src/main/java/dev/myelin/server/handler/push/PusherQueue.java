package dev.myelin.server.handler.push;

import dev.myelin.core.time.Clock;
import dev.myelin.http.client.OutboundHttpException;
import dev.myelin.storage.push.PushQueueStore;
import dev.myelin.storage.push.Pusher;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifications waiting to go to one pusher, sent one at a time and in order by a virtual
 * thread that runs while there is something to send. A gateway that fails (no answer, or a status
 * other than 2xx) is retried with exponential backoff on the {@link Clock}, as the Push Gateway
 * API asks, from {@link #FIRST_RETRY} up to {@link #LONGEST_RETRY} apart; a notification still
 * undelivered after {@link #GIVE_UP_AFTER} is dropped, since it no longer tells the user anything
 * timely. A gateway that lists the pusher's pushkey as {@code rejected} ends the pusher: the
 * {@code onRejected} callback removes it, and what was waiting for it is dropped.
 *
 * <p>Each notification is also written to the {@link PushQueueStore} until it is sent or dropped,
 * so that what a restart interrupts is sent when the process starts again ({@link #resume}); its
 * age counts from when it was first queued.
 */
final class PusherQueue {
    private static final Logger LOG = LoggerFactory.getLogger(PusherQueue.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LONGEST_RETRY = Duration.ofHours(1);
    static final Duration GIVE_UP_AFTER = Duration.ofHours(24);
    /** More than this many waiting notifications means the gateway is far behind: the oldest go. */
    static final int MAX_WAITING = 1000;

    /** A notification waiting, with its row in the store and when it was first queued. */
    private record Waiting(long id, long createdTs, NotifyRequest request) {}

    private final Pusher pusher;
    private final PushGateway gateway;
    private final PushQueueStore store;
    private final Clock clock;
    private final Consumer<Pusher> onRejected;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private Thread sender;
    private boolean closed;

    PusherQueue(Pusher pusher, PushGateway gateway, PushQueueStore store, Clock clock, Consumer<Pusher> onRejected) {
        this.pusher = pusher;
        this.gateway = gateway;
        this.store = store;
        this.clock = clock;
        this.onRejected = onRejected;
    }

    /** Queues {@code request}, storing it, and starts the sender if it is not running. */
    void add(NotifyRequest request) {
        long now = clock.nowMillis();
        long id = store.add(pusher.user(), pusher.appId(), pusher.pushkey(), request.body(), now);
        enqueue(new Waiting(id, now, request));
    }

    /** Queues a notification a previous run of the process stored and did not send. */
    void resume(PushQueueStore.Queued stored) {
        enqueue(new Waiting(
                stored.id(), stored.createdTs(), new NotifyRequest(NotifyRequest.url(pusher), stored.body())));
    }

    private void enqueue(Waiting next) {
        Waiting dropped = null;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (waiting.size() >= MAX_WAITING) {
                dropped = waiting.removeFirst();
            }
            waiting.addLast(next);
            if (sender == null) {
                sender = Thread.ofVirtual().name("pusher-" + pusher.appId()).start(this::sendAll);
            }
        } finally {
            lock.unlock();
        }
        if (dropped != null) {
            store.delete(dropped.id());
        }
    }

    /** Stops the sender; what is waiting stays stored for the next start. */
    void close() {
        Thread running;
        lock.lock();
        try {
            closed = true;
            waiting.clear();
            running = sender;
        } finally {
            lock.unlock();
        }
        if (running != null) {
            running.interrupt();
        }
    }

    private void sendAll() {
        try {
            while (true) {
                Waiting next;
                lock.lock();
                try {
                    next = waiting.pollFirst();
                    if (next == null || closed) {
                        sender = null;
                        return;
                    }
                } finally {
                    lock.unlock();
                }
                if (!deliver(next)) {
                    lock.lock();
                    try {
                        closed = true;
                        waiting.clear();
                        sender = null;
                    } finally {
                        lock.unlock();
                    }
                    store.deleteForPusher(pusher.user(), pusher.appId(), pusher.pushkey());
                    onRejected.accept(pusher);
                    return;
                }
                store.delete(next.id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends one notification until the gateway takes it or it is too old; false if the pushkey was rejected. */
    private boolean deliver(Waiting next) throws InterruptedException {
        NotifyRequest request = next.request();
        Duration backoff = FIRST_RETRY;
        while (true) {
            try {
                PushGateway.Answer answer = gateway.send(request);
                if (answer.delivered()) {
                    return !answer.rejected().contains(pusher.pushkey());
                }
                LOG.info(
                        "push gateway {} refused a notification for {}",
                        request.url().getHost(),
                        pusher.user());
            } catch (OutboundHttpException e) {
                LOG.info("push gateway {} unreachable: {}", request.url().getHost(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("sending a notification to {} failed", request.url().getHost(), e);
            }
            if (Duration.ofMillis(clock.nowMillis() - next.createdTs()).compareTo(GIVE_UP_AFTER) >= 0) {
                LOG.info("giving up on a notification for {} after {}", pusher.user(), GIVE_UP_AFTER);
                return true;
            }
            clock.sleep(backoff);
            backoff = backoff.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : backoff.multipliedBy(2);
        }
    }
}
