package dev.myelin.server.workers;

import dev.myelin.server.workers.ProcessClient.Account;
import dev.myelin.server.workers.ProcessClient.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Several senders, each sending messages one after another (the next once the previous was
 * answered) into a list of rooms in turn, all at the same time, recording which sends were
 * acknowledged (200 with an event id) and when each was started and answered, and which failed.
 * A failed send is not retried: its message may or may not exist, and only acknowledged events
 * are owed to the client.
 */
final class SendLoad implements AutoCloseable {
    /** An acknowledged send. */
    record Sent(String roomId, String eventId, String sender, long startNanos, long ackNanos) {}

    /** A send that got no 200. */
    record Failure(String roomId, String txnId, String sender, long atNanos, String reply) {}

    private final ProcessClient client;
    private final String base;
    private final List<Account> senders;
    private final List<String> rooms;
    private final String tag;
    private final int perSender;
    private final List<Sent> acked = new CopyOnWriteArrayList<>();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    /**
     * @param perSender how many messages each sender sends; 0 for as many as it can until {@link #close()}
     */
    SendLoad(ProcessClient client, String base, List<Account> senders, List<String> rooms, String tag, int perSender) {
        this.client = client;
        this.base = base;
        this.senders = List.copyOf(senders);
        this.rooms = List.copyOf(rooms);
        this.tag = tag;
        this.perSender = perSender;
    }

    SendLoad start() {
        for (int s = 0; s < senders.size(); s++) {
            int index = s;
            threads.add(Thread.ofVirtual().name("send-" + tag + "-" + s).start(() -> run(index)));
        }
        return this;
    }

    private void run(int index) {
        Account sender = senders.get(index);
        for (int i = 0; !stopped && (perSender == 0 || i < perSender); i++) {
            String room = rooms.get((i + index) % rooms.size());
            String txn = tag + "-" + index + "-" + i;
            long start = System.nanoTime();
            Reply reply;
            try {
                reply = client.sendText(base, sender, room, txn, tag + " " + index + " " + i);
            } catch (InterruptedException e) {
                return;
            }
            long end = System.nanoTime();
            if (reply.ok() && reply.body().hasNonNull("event_id")) {
                acked.add(new Sent(room, reply.body().get("event_id").asText(), sender.userId(), start, end));
            } else {
                failures.add(new Failure(room, txn, sender.userId(), end, reply.toString()));
                sleep(20);
            }
        }
    }

    /** Waits until every sender has sent its messages (only with a fixed count per sender). */
    boolean await(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }

    List<Sent> acked() {
        return List.copyOf(acked);
    }

    List<Failure> failures() {
        return List.copyOf(failures);
    }

    /** Stops the senders after their current send and waits for them. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread t : threads) {
            if (!t.join(Duration.ofSeconds(40))) {
                t.interrupt();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
