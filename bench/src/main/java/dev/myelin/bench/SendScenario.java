package dev.myelin.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code send}: {@code sendUsers} users in {@code sendRooms} rooms send messages as fast as the
 * server accepts them, {@code concurrency} senders in a closed loop; each user sends in its own
 * room. Compared with the SQLite-insert ceiling, the floor of a request that commits a row. With
 * a child server, the scenario is recorded with JFR and the hot methods are reported.
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

        Path recording = null;
        if (c.server().isPresent()) {
            recording = c.server().get().dir().resolve("send-" + c.db() + ".jfr");
            try {
                // one sample per thread every 2 ms instead of profile's 10 ms: a 30 s run on two
                // cores otherwise yields only a few hundred samples
                c.server()
                        .get()
                        .jcmd(
                                "JFR.start",
                                "name=send",
                                "settings=profile",
                                "filename=" + recording,
                                "jdk.ExecutionSample#period=2ms");
            } catch (java.io.IOException e) {
                c.server().get().jcmd("JFR.start", "name=send", "settings=profile", "filename=" + recording);
            }
        }
        var cpu0 = c.server().map(ServerProcess::cpuTime);
        ClosedLoop.Result result = ClosedLoop.run(p.concurrency(), p.sendTime(), Long.MAX_VALUE, (w, seq) -> {
            int user = w % p.sendUsers();
            c.http()
                    .sendText(
                            c.users().get(user).token(),
                            rooms.get(user % rooms.size()),
                            "b" + seq,
                            "bench message " + seq);
        });
        var cpu1 = c.server().map(ServerProcess::cpuTime);
        if (recording != null) {
            c.server().get().jcmd("JFR.stop", "name=send");
        }

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
        if (cpu0.isPresent() && result.ops() > 0) {
            c.add(
                    "send",
                    "server CPU per message",
                    (cpu1.get().toNanos() - cpu0.get().toNanos()) / 1e6 / result.ops(),
                    "ms");
        }
        if (result.firstError() != null) {
            System.err.println("send: first error: " + result.firstError());
        }
        if (recording != null) {
            Profile.Summary summary = Profile.summarise(recording, 15);
            ObjectNode node = c.report().extra.putObject("send_profile_" + c.db());
            node.put("recording", recording.toString()).put("samples", summary.samples());
            node.set("top_frames", MatrixHttp.JSON.valueToTree(summary.topFrames()));
            node.set("top_myelin_frames", MatrixHttp.JSON.valueToTree(summary.topMyelinFrames()));
            node.set("top_packages", MatrixHttp.JSON.valueToTree(summary.topPackages()));
            System.out.println("JFR profile of the server during send (" + c.db() + "), " + summary.samples()
                    + " execution samples, " + recording);
            print("top frames", summary.topFrames());
            print("first dev.myelin frame on the stack", summary.topMyelinFrames());
            print("top-frame packages", summary.topPackages());
        }
    }

    private static void print(String title, List<Profile.Hot> hot) {
        System.out.println("  " + title + ":");
        for (Profile.Hot h : hot) {
            System.out.printf(java.util.Locale.ROOT, "    %5.1f%%  %6d  %s%n", h.percent(), h.samples(), h.method());
        }
    }
}
