package dev.myelin.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code send}: {@code sendUsers} users in {@code sendRooms} rooms send messages as fast as the
 * server accepts them, {@code concurrency} senders in a closed loop; each user sends in its own
 * room. Compared with the SQLite-insert ceiling, the floor of a request that commits a row. With
 * a child server, the scenario is recorded with JFR and the hot methods are reported. The server's
 * CPU per message is its processes' total, and each process's too when there are several.
 */
final class SendScenario {
    private SendScenario() {}

    static void run(Context c) throws Exception {
        Plan p = c.plan();
        List<String> rooms = new ArrayList<>();
        for (int r = 0; r < p.sendRooms(); r++) {
            rooms.add(c.http().createPublicRoom(c.admin().token(), "send " + r));
        }
        ClosedLoop.Result joins = ClosedLoop.run(
                Math.min(p.concurrency(), p.sendUsers()),
                p.sendTime(),
                p.sendUsers(),
                (w, seq) -> c.http().join(c.users().get((int) seq).token(), rooms.get((int) seq % rooms.size())));
        if (joins.errors() > 0) {
            throw new IllegalStateException("send: joins failed: " + joins.firstError());
        }

        ProfiledPhase profile = ProfiledPhase.start(c, "send");
        var cpu0 = c.cpu().sample();
        ClosedLoop.Result result = ClosedLoop.run(p.concurrency(), p.sendTime(), Long.MAX_VALUE, (w, seq) -> {
            int user = w % p.sendUsers();
            c.http()
                    .sendText(
                            c.users().get(user).token(),
                            rooms.get(user % rooms.size()),
                            "b" + seq,
                            "bench message " + seq);
        });
        ProcessCpu.Usage cpu = c.cpu().since(cpu0);

        var insert = c.ceilings().insert();
        c.add(
                "send",
                "messages/s (C=" + p.concurrency() + ")",
                result.perSecond(),
                "1/s",
                c.ceilings().insertName() + " /s",
                insert.perSecond());
        c.add(
                "send",
                "latency p50",
                result.latency().p50(),
                "ms",
                c.ceilings().insertName() + " p50",
                insert.latency().p50());
        c.add(
                "send",
                "latency p99",
                result.latency().p99(),
                "ms",
                c.ceilings().insertName() + " p99",
                insert.latency().p99());
        c.add("send", "errors", result.errors(), "");
        if (!c.cpu().isEmpty() && result.ops() > 0) {
            c.add("send", "server CPU per message", cpu.total().toNanos() / 1e6 / result.ops(), "ms");
            if (cpu.byProcess().size() > 1) {
                cpu.byProcess()
                        .forEach((name, used) ->
                                c.add("send", "CPU per message: " + name, used.toNanos() / 1e6 / result.ops(), "ms"));
            }
        }
        if (result.firstError() != null) {
            System.err.println("send: first error: " + result.firstError());
        }
        profile.stopAndReport();
    }
}
