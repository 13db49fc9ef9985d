package dev.myelin.bench;

import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.api.client.sync.SyncEndpoint;
import java.time.Duration;
import java.util.List;

/**
 * {@code initial-sync}: a user in {@code initialSyncRooms} rooms, each with {@code
 * initialSyncMembers} members and {@code initialSyncEvents} messages, does an initial {@code
 * /sync}, first without a filter, then with {@code lazy_load_members}. Three runs each: the first
 * (nothing of it cached) and the fastest are reported, with the response size.
 *
 * <p>{@code warm-initial-sync}: the figure the {@code --url} comparison with other servers uses,
 * the same in every plan: a user of its own in {@value #WARM_ROOMS} rooms of {@value
 * #WARM_MEMBERS} members and {@value #WARM_EVENTS} messages (the quick plan's rooms) does an
 * initial {@code /sync} without filter {@value #WARM_UPS} times unmeasured, then {@value
 * #WARM_RUNS} times; the fastest of those is reported, with the server CPU per sync.
 */
final class InitialSyncScenario {
    private static final String LAZY = "{\"room\":{\"state\":{\"lazy_load_members\":true}}}";
    static final int WARM_ROOMS = 40;
    static final int WARM_MEMBERS = 3;
    static final int WARM_EVENTS = 20;
    static final int WARM_UPS = 2;
    static final int WARM_RUNS = 5;

    private InitialSyncScenario() {}

    static void run(Context c) throws Exception {
        Plan p = c.plan();
        int others = Math.min(p.initialSyncMembers() - 1, c.users().size());
        List<String> rooms = RoomSetup.build(
                c, "initial", c.syncer(), c.users().subList(0, others), p.initialSyncRooms(), p.initialSyncEvents());
        c.add("initial-sync", "rooms", rooms.size(), "");
        c.add("initial-sync", "messages per room", p.initialSyncEvents(), "");
        measure(c, "no filter", EndpointCall.of(SyncEndpoint.SPEC));
        measure(c, "lazy_load_members", EndpointCall.of(SyncEndpoint.SPEC).query("filter", LAZY));
    }

    static void runWarm(Context c) throws Exception {
        Seeder.Account user = c.spare(IncrementalSyncScenario.SPARES_USED);
        RoomSetup.build(c, "warm", user, c.users().subList(0, WARM_MEMBERS - 1), WARM_ROOMS, WARM_EVENTS);
        EndpointCall<?, ?> call = EndpointCall.of(SyncEndpoint.SPEC);
        for (int i = 0; i < WARM_UPS; i++) {
            c.http().exchange(call, user.token(), Duration.ofMinutes(2));
        }
        var cpu0 = c.server().map(ServerProcess::cpuTime);
        double best = Double.MAX_VALUE;
        int bytes = 0;
        for (int i = 0; i < WARM_RUNS; i++) {
            long t0 = System.nanoTime();
            MatrixHttp.Reply reply = c.http().exchange(call, user.token(), Duration.ofMinutes(2));
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
            bytes = reply.bytes();
        }
        var cpu1 = c.server().map(ServerProcess::cpuTime);
        String what = "initial sync of " + WARM_ROOMS + " rooms";
        c.add("warm-initial-sync", what + ", best of " + WARM_RUNS + " after " + WARM_UPS + " warm-ups", best, "ms");
        c.add("warm-initial-sync", what + ", response size", bytes / 1024.0, "KiB");
        if (cpu0.isPresent()) {
            c.add(
                    "warm-initial-sync",
                    "server CPU per initial sync",
                    (cpu1.get().toNanos() - cpu0.get().toNanos()) / 1e6 / WARM_RUNS,
                    "ms");
        }
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
