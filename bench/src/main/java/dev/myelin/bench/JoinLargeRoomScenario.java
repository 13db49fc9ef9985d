package dev.myelin.bench;

import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.api.client.room.GetStateEndpoint;
import dev.myelin.server.api.client.room.JoinedMembersEndpoint;
import dev.myelin.server.api.client.room.MembersEndpoint;
import java.time.Duration;

/**
 * {@code join-large-room}: {@code joinUsers} users join one public room, {@code concurrency} at a
 * time, until all have joined or {@code joinTime} is up; then {@code /members}, {@code /state} and {@code /joined_members}
 * of the room are timed (three runs, the fastest reported).
 */
final class JoinLargeRoomScenario {
    private JoinLargeRoomScenario() {}

    static void run(Context c) throws Exception {
        Plan p = c.plan();
        MatrixHttp http = c.http();
        String room = http.createPublicRoom(c.admin().token(), "large");
        int users = Math.min(p.joinUsers(), c.users().size());
        var cpu0 = c.server().map(ServerProcess::cpuTime);
        ClosedLoop.Result joins = ClosedLoop.run(
                p.concurrency(),
                p.joinTime(),
                users,
                (w, seq) -> http.join(c.users().get((int) seq).token(), room));
        var cpu1 = c.server().map(ServerProcess::cpuTime);
        var insert = c.ceilings().insert();
        c.add("join-large-room", "users joined (of " + users + ")", joins.ops(), "");
        c.add(
                "join-large-room",
                "joins/s",
                joins.perSecond(),
                "1/s",
                c.ceilings().insertName() + " /s",
                insert.perSecond());
        c.add(
                "join-large-room",
                "join latency p50",
                joins.latency().p50(),
                "ms",
                c.ceilings().insertName() + " p50",
                insert.latency().p50());
        c.add(
                "join-large-room",
                "join latency p99",
                joins.latency().p99(),
                "ms",
                c.ceilings().insertName() + " p99",
                insert.latency().p99());
        c.add("join-large-room", "errors", joins.errors(), "");
        if (joins.firstError() != null) {
            System.err.println("join-large-room: first error: " + joins.firstError());
        }
        if (cpu0.isPresent() && joins.ops() > 0) {
            c.add(
                    "join-large-room",
                    "server CPU per join",
                    (cpu1.get().toNanos() - cpu0.get().toNanos()) / 1e6 / joins.ops(),
                    "ms");
        }
        timed(c, "/members", EndpointCall.of(MembersEndpoint.SPEC, room));
        timed(c, "/state", EndpointCall.of(GetStateEndpoint.SPEC, room));
        timed(c, "/joined_members", EndpointCall.of(JoinedMembersEndpoint.SPEC, room));
    }

    private static void timed(Context c, String label, EndpointCall<?, ?> call) throws Exception {
        double best = Double.MAX_VALUE;
        int bytes = 0;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            MatrixHttp.Reply reply = c.http().exchange(call, c.admin().token(), Duration.ofMinutes(2));
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
            bytes = reply.bytes();
        }
        c.add("join-large-room", label + " best of 3", best, "ms");
        c.add("join-large-room", label + " response size", bytes / 1024.0, "KiB");
    }
}
