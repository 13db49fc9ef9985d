package dev.myelin.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.api.client.VersionsEndpoint;
import dev.myelin.server.api.client.sync.SyncEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code incremental-sync}: a user of its own in {@code incrementalSyncRooms} rooms, each with two
 * more members and {@value #MESSAGES_PER_ROOM} messages, syncs once, then, one request at a time:
 *
 * <ol>
 *   <li>{@code incrementalSyncRepeats} incremental {@code /sync}s with {@code timeout=0} and
 *       nothing new, each from the last {@code next_batch}: latency p50/p99 (compared with {@code
 *       GET /versions} on the same server in the same loop, the HTTP floor) and the server CPU per
 *       request;
 *   <li>{@code incrementalSyncChanges} times: another member sends a message to one of the rooms
 *       (each in turn), then the user syncs from its last token: the latency of that sync, whether
 *       it carried the message, and the server CPU per send + sync and within the sync alone.
 * </ol>
 *
 * <p>Each measured phase also stops after {@link #PHASE_LIMIT}. Besides the client's latency, the server's own time per sync is read from its access log
 * (whole milliseconds, truncated, so "0" means under one).
 *
 * <p>The server CPU comes from the child's {@code /proc} times, which advance in 10 ms ticks: a
 * total over hundreds of requests is exact to a few percent, a sum of per-sync windows is exact
 * only on average.
 */
final class IncrementalSyncScenario {
    static final int MESSAGES_PER_ROOM = 3;
    /** How many of {@link Context#spare} this scenario takes: the syncing user and two members. */
    static final int SPARES_USED = 3;

    /** Each measured phase stops after this long even if its count is not reached. */
    static final Duration PHASE_LIMIT = Duration.ofSeconds(90);

    private static final String NAME = "incremental-sync";

    private IncrementalSyncScenario() {}

    static void run(Context c) throws Exception {
        Plan p = c.plan();
        MatrixHttp http = c.http();
        Seeder.Account user = c.spare(0);
        Seeder.Account sender = c.spare(1);
        List<String> rooms = RoomSetup.build(
                c, "incremental", user, List.of(sender, c.spare(2)), p.incrementalSyncRooms(), MESSAGES_PER_ROOM);
        String since = sync(c, user, null).path("next_batch").asText();
        c.add(NAME, "rooms", rooms.size(), "");

        // The HTTP floor: the cheapest request (no authentication, a fixed answer) in the same loop.
        EndpointCall<?, ?> versions = EndpointCall.of(VersionsEndpoint.SPEC);
        LongList floor = new LongList();
        for (int i = 0; i < p.incrementalSyncRepeats(); i++) {
            long t0 = System.nanoTime();
            http.exchange(versions, null, Duration.ofSeconds(30));
            floor.add(System.nanoTime() - t0);
        }
        Latencies floorLatency = Latencies.ofNanos(floor.toArray());

        // (a) nothing new, after unmeasured ones that let the JIT compile the path
        for (int i = 0; i < Math.min(100, p.incrementalSyncRepeats() / 5); i++) {
            since = sync(c, user, since).path("next_batch").asText(since);
        }
        LongList idle = new LongList();
        long withRooms = 0;
        long log0 = logSize(c);
        Optional<Duration> cpu0 = c.server().map(ServerProcess::cpuTime);
        long deadline = System.nanoTime() + PHASE_LIMIT.toNanos();
        for (int i = 0; i < p.incrementalSyncRepeats() && System.nanoTime() < deadline; i++) {
            long t0 = System.nanoTime();
            JsonNode body = sync(c, user, since);
            idle.add(System.nanoTime() - t0);
            since = body.path("next_batch").asText(since);
            if (!body.path("rooms").path("join").isEmpty()) {
                withRooms++;
            }
        }
        Optional<Duration> cpu1 = c.server().map(ServerProcess::cpuTime);
        Latencies idleLatency = Latencies.ofNanos(idle.toArray());
        c.add(NAME, "nothing new: syncs", idleLatency.count(), "");
        c.add(NAME, "nothing new: p50", idleLatency.p50(), "ms", "GET /versions p50", floorLatency.p50());
        c.add(NAME, "nothing new: p99", idleLatency.p99(), "ms", "GET /versions p99", floorLatency.p99());
        c.add(NAME, "nothing new: answers with rooms", withRooms, "");
        serverTime(c, "nothing new", log0, user, idleLatency.count());
        if (cpu0.isPresent()) {
            c.add(
                    NAME,
                    "nothing new: server CPU per sync",
                    perOp(cpu0.get(), cpu1.get(), idleLatency.count()),
                    "ms",
                    "target",
                    2);
        }

        // (b) one room of all has one new message
        LongList changed = new LongList();
        long missed = 0;
        long syncWindows = 0;
        log0 = logSize(c);
        cpu0 = c.server().map(ServerProcess::cpuTime);
        deadline = System.nanoTime() + PHASE_LIMIT.toNanos();
        for (int i = 0; i < p.incrementalSyncChanges() && System.nanoTime() < deadline; i++) {
            String room = rooms.get(i % rooms.size());
            String eventId = http.sendText(sender.token(), room, "change" + i, "change " + i);
            Optional<Duration> before = c.server().map(ServerProcess::cpuTime);
            long t0 = System.nanoTime();
            JsonNode body = sync(c, user, since);
            changed.add(System.nanoTime() - t0);
            Optional<Duration> after = c.server().map(ServerProcess::cpuTime);
            if (before.isPresent()) {
                syncWindows += after.get().toNanos() - before.get().toNanos();
            }
            since = body.path("next_batch").asText(since);
            if (!carries(body, room, eventId)) {
                missed++;
            }
        }
        cpu1 = c.server().map(ServerProcess::cpuTime);
        Latencies changedLatency = Latencies.ofNanos(changed.toArray());
        c.add(NAME, "one room changed: syncs", changedLatency.count(), "");
        c.add(NAME, "one room changed: p50", changedLatency.p50(), "ms", "GET /versions p50", floorLatency.p50());
        c.add(NAME, "one room changed: p99", changedLatency.p99(), "ms", "GET /versions p99", floorLatency.p99());
        c.add(NAME, "one room changed: message missing", missed, "");
        serverTime(c, "one room changed", log0, user, changedLatency.count());
        if (cpu0.isPresent()) {
            c.add(
                    NAME,
                    "one room changed: server CPU per send+sync",
                    perOp(cpu0.get(), cpu1.get(), changedLatency.count()),
                    "ms");
            c.add(NAME, "one room changed: server CPU in the sync", syncWindows / 1e6 / changedLatency.count(), "ms");
        }
    }

    private static long logSize(Context c) throws Exception {
        return c.server().isPresent() ? c.server().get().logSize() : 0;
    }

    /**
     * The server's own time for the user's last {@code count} syncs, from its access log after
     * byte {@code from} (lines of earlier syncs may have been written after that point).
     */
    private static void serverTime(Context c, String label, long from, Seeder.Account user, int count)
            throws Exception {
        if (c.server().isEmpty()) {
            return;
        }
        Thread.sleep(200); // the last access lines
        long[] millis = c.server().get().accessMillis(from, "GET", SyncEndpoint.SPEC.pathOf(), user.userId());
        long[] last = new long[Math.min(count, millis.length)];
        for (int i = 0; i < last.length; i++) {
            last[i] = millis[millis.length - last.length + i] * 1_000_000;
        }
        Latencies server = Latencies.ofNanos(last);
        c.add(NAME, label + ": server time p50 (access log)", server.p50(), "ms", "target", 2);
        c.add(NAME, label + ": server time p99 (access log)", server.p99(), "ms");
    }

    private static JsonNode sync(Context c, Seeder.Account user, String since) throws Exception {
        EndpointCall<?, ?> call = EndpointCall.of(SyncEndpoint.SPEC).query("timeout", 0);
        if (since != null) {
            call = call.query("since", since);
        }
        return c.http().exchange(call, user.token(), Duration.ofMinutes(2)).body();
    }

    private static boolean carries(JsonNode body, String room, String eventId) {
        for (JsonNode event :
                body.path("rooms").path("join").path(room).path("timeline").path("events")) {
            if (eventId.equals(event.path("event_id").asText())) {
                return true;
            }
        }
        return false;
    }

    private static double perOp(Duration before, Duration after, long ops) {
        return ops == 0 ? Double.NaN : (after.toNanos() - before.toNanos()) / 1e6 / ops;
    }
}
