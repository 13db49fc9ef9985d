package dev.myelin.bench;

import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.api.client.sync.SyncEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code initial-sync}: a user in {@code initialSyncRooms} rooms, each with {@code
 * initialSyncMembers} members and {@code initialSyncEvents} messages, does an initial {@code
 * /sync}, first without a filter, then with {@code lazy_load_members}. Three runs each: the first
 * (nothing of it cached) and the fastest are reported, with the response size.
 */
final class InitialSyncScenario {
    private static final String LAZY = "{\"room\":{\"state\":{\"lazy_load_members\":true}}}";

    private InitialSyncScenario() {}

    static void run(Context c) throws Exception {
        Plan p = c.plan();
        MatrixHttp http = c.http();
        int roomCount = p.initialSyncRooms();
        int others = Math.min(p.initialSyncMembers() - 1, c.users().size());
        List<String> rooms = new ArrayList<>();
        ClosedLoop.Result created =
                ClosedLoop.run(Math.min(8, p.concurrency()), Duration.ofMinutes(3), roomCount, (w, seq) -> {
                    String id = c.http().createPublicRoom(c.syncer().token(), "initial " + seq);
                    synchronized (rooms) {
                        rooms.add(id);
                    }
                });
        ClosedLoop.Result joins = ClosedLoop.run(
                p.concurrency(),
                Duration.ofMinutes(3),
                (long) rooms.size() * others,
                (w, seq) -> http.join(c.users().get((int) (seq % others)).token(), rooms.get((int) (seq / others))));
        long messages = (long) rooms.size() * p.initialSyncEvents();
        ClosedLoop.Result sent = ClosedLoop.run(p.concurrency(), Duration.ofMinutes(4), messages, (w, seq) -> {
            int member = (int) (seq % (others + 1));
            String token = member == others
                    ? c.syncer().token()
                    : c.users().get(member).token();
            http.sendText(token, rooms.get((int) (seq % rooms.size())), "i" + seq, "initial sync filler " + seq);
        });
        if (created.errors() + joins.errors() + sent.errors() > 0) {
            throw new IllegalStateException("initial-sync setup failed: " + created.firstError() + " "
                    + joins.firstError() + " " + sent.firstError());
        }
        c.add("initial-sync", "rooms", rooms.size(), "");
        c.add("initial-sync", "messages per room", sent.ops() / (double) Math.max(1, rooms.size()), "");
        measure(c, "no filter", EndpointCall.of(SyncEndpoint.SPEC));
        measure(c, "lazy_load_members", EndpointCall.of(SyncEndpoint.SPEC).query("filter", LAZY));
    }

    private static void measure(Context c, String label, EndpointCall<?, ?> call) throws Exception {
        double first = 0;
        double best = Double.MAX_VALUE;
        int bytes = 0;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            MatrixHttp.Reply reply = c.http().exchange(call, c.syncer().token(), Duration.ofMinutes(2));
            double ms = (System.nanoTime() - t0) / 1e6;
            if (i == 0) {
                first = ms;
            }
            best = Math.min(best, ms);
            bytes = reply.bytes();
        }
        c.add("initial-sync", label + ": first", first, "ms");
        c.add("initial-sync", label + ": best of 3", best, "ms");
        c.add("initial-sync", label + ": response size", bytes / 1024.0, "KiB");
    }
}
