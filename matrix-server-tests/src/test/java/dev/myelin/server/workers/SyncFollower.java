package dev.myelin.server.workers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.server.workers.ProcessClient.Account;
import dev.myelin.server.workers.ProcessClient.Reply;
import dev.myelin.server.workers.SendLoad.Sent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One user's incremental {@code /sync} loop on a virtual thread, as a client keeps it: each
 * long-poll starts from the previous answer's {@code next_batch}. It records every
 * {@code m.room.message} of the joined rooms' timelines in the order received, and as problems
 * every limited timeline (a gap the client would have to fill by paginating) and every answer
 * that was not 200.
 */
final class SyncFollower implements AutoCloseable {
    /** One timeline event as received: in which sync answer and when. */
    record Seen(String roomId, String eventId, int batch, long atNanos) {}

    private final ProcessClient client;
    private final String base;
    private final Account account;
    private final String filter;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final AtomicInteger batches = new AtomicInteger();
    private volatile boolean stopped;
    private volatile String since;
    private Thread thread;

    SyncFollower(ProcessClient client, String base, Account account, String filter) {
        this.client = client;
        this.base = base;
        this.account = account;
        this.filter = filter;
    }

    /** Takes the current position with an initial sync, then follows from there. */
    SyncFollower start() throws InterruptedException {
        Reply initial = client.sync(base, account, null, 0, filter);
        if (!initial.ok()) {
            throw new AssertionError("initial sync of " + account.userId() + " failed: " + initial);
        }
        since = initial.body().get("next_batch").asText();
        thread = Thread.ofVirtual().name("sync-" + account.userId()).start(this::loop);
        return this;
    }

    private void loop() {
        while (!stopped) {
            Reply reply;
            try {
                reply = client.sync(base, account, since, 2000, filter);
            } catch (InterruptedException e) {
                return;
            }
            if (!reply.ok()) {
                problems.add("sync of " + account.userId() + " since " + since + ": " + reply);
                sleep(100);
                continue;
            }
            int batch = batches.incrementAndGet();
            long now = System.nanoTime();
            JsonNode join = reply.body().path("rooms").path("join");
            for (Map.Entry<String, JsonNode> room : join.properties()) {
                JsonNode timeline = room.getValue().path("timeline");
                if (timeline.path("limited").asBoolean(false)) {
                    problems.add("limited timeline in " + room.getKey() + " for " + account.userId() + " since " + since
                            + " (sync answer " + batch + ")");
                }
                for (JsonNode event : timeline.path("events")) {
                    if (event.path("type").asText().equals("m.room.message")) {
                        seen.add(new Seen(room.getKey(), event.path("event_id").asText(), batch, now));
                    }
                }
            }
            since = reply.body().get("next_batch").asText();
        }
    }

    Account account() {
        return account;
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    /** The events received in {@code roomId}, in order. */
    List<String> seenIn(String roomId) {
        List<String> ids = new ArrayList<>();
        for (Seen s : seen) {
            if (s.roomId().equals(roomId)) {
                ids.add(s.eventId());
            }
        }
        return ids;
    }

    /** Waits until every one of {@code eventIds} has been received; false if not within the time. */
    boolean awaitAll(Collection<String> eventIds, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (missing(eventIds).isEmpty()) {
                return true;
            }
            sleep(20);
        }
        return missing(eventIds).isEmpty();
    }

    /** Those of {@code eventIds} not received yet. */
    Set<String> missing(Collection<String> eventIds) {
        Set<String> received = new HashSet<>();
        seen.forEach(s -> received.add(s.eventId()));
        Set<String> missing = new HashSet<>(eventIds);
        missing.removeAll(received);
        return missing;
    }

    /**
     * What this user's /sync got wrong: an acknowledged event missing or received twice, a limited
     * timeline, or two events of a room in an order that contradicts the acknowledgements (the
     * later one received had been acknowledged before the earlier one was even sent).
     */
    List<String> violations(List<String> rooms, List<Sent> acked) {
        List<String> violations = new ArrayList<>();
        String user = account.userId();
        Map<String, Sent> byId = new HashMap<>();
        acked.forEach(s -> byId.put(s.eventId(), s));
        missing(acked.stream().map(Sent::eventId).toList())
                .forEach(id -> violations.add(user + " never received " + id + " (" + byId.get(id) + ")"));
        Map<String, Integer> counts = new HashMap<>();
        seen.forEach(s -> counts.merge(s.eventId(), 1, Integer::sum));
        counts.forEach((id, n) -> {
            if (n > 1 && byId.containsKey(id)) {
                violations.add(user + " received " + id + " " + n + " times");
            }
        });
        problems.stream().filter(p -> p.startsWith("limited")).forEach(violations::add);
        for (String room : rooms) {
            List<String> order = seenIn(room).stream().filter(byId::containsKey).toList();
            for (int i = 0; i < order.size(); i++) {
                Sent earlier = byId.get(order.get(i));
                for (int j = i + 1; j < order.size(); j++) {
                    Sent later = byId.get(order.get(j));
                    if (later.ackNanos() < earlier.startNanos()) {
                        violations.add(user + " received " + later.eventId() + " after " + earlier.eventId() + " in "
                                + room + ", though it was acknowledged before that one was sent");
                    }
                }
            }
        }
        return violations;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        if (thread != null && !thread.join(Duration.ofSeconds(10))) {
            thread.interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The ids of the timeline events of {@code room} in a /sync answer. */
    static Set<String> timelineIds(Reply sync, String room) {
        Set<String> ids = new HashSet<>();
        for (JsonNode event : sync.body()
                .path("rooms")
                .path("join")
                .path(room)
                .path("timeline")
                .path("events")) {
            ids.add(event.path("event_id").asText());
        }
        return ids;
    }
}
