package dev.myelin.server.handler.push;

import dev.myelin.core.time.Clock;
import dev.myelin.http.client.OutboundHttpException;
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
 */
final class PusherQueue {
    private static final Logger LOG = LoggerFactory.getLogger(PusherQueue.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LONGEST_RETRY = Duration.ofHours(1);
    static final Duration GIVE_UP_AFTER = Duration.ofHours(24);
    /** More than this many waiting notifications means the gateway is far behind: the oldest go. */
    static final int MAX_WAITING = 1000;

    private final Pusher pusher;
    private final PushGateway gateway;
    private final Clock clock;
    private final Consumer<Pusher> onRejected;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<NotifyRequest> waiting = new ArrayDeque<>();
    private Thread sender;
    private boolean closed;

    PusherQueue(Pusher pusher, PushGateway gateway, Clock clock, Consumer<Pusher> onRejected) {
        this.pusher = pusher;
        this.gateway = gateway;
        this.clock = clock;
        this.onRejected = onRejected;
    }

    /** Queues {@code request}, starting the sender if it is not running. */
    void add(NotifyRequest request) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (waiting.size() >= MAX_WAITING) {
                waiting.removeFirst();
            }
            waiting.addLast(request);
            if (sender == null) {
                sender = Thread.ofVirtual().name("pusher-" + pusher.appId()).start(this::sendAll);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops what is waiting and stops the sender. */
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
                NotifyRequest next;
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
                    onRejected.accept(pusher);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends one notification until the gateway takes it or it is too old; false if the pushkey was rejected. */
    private boolean deliver(NotifyRequest request) throws InterruptedException {
        long start = clock.monotonicNanos();
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
            if (Duration.ofNanos(clock.monotonicNanos() - start).compareTo(GIVE_UP_AFTER) >= 0) {
                LOG.info("giving up on a notification for {} after {}", pusher.user(), GIVE_UP_AFTER);
                return true;
            }
            clock.sleep(backoff);
            backoff = backoff.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : backoff.multipliedBy(2);
        }
    }
}
