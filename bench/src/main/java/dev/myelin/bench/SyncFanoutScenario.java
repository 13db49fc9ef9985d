package dev.myelin.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.api.client.sync.SyncEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code sync-fanout}: {@code fanoutClients} clients, spread over {@code fanoutRooms} rooms, each
 * keep one long-polling {@code /sync} open while one sender sends a message to the rooms in turn
 * every {@code fanoutInterval}. A delivery is one client receiving one message; its delay is the
 * time from the sender's {@code /send} response to that client's {@code /sync} response (0 when
 * the sync answered first). The server's CPU time over the sending phase (every process's, and
 * each one's when there are several) is divided by the deliveries. The server's RSS and heap are read right after the run; {@link #heapHistogram} (a
 * separate step, after the idle-memory reading, as it forces a full GC) lists the classes that
 * hold the heap then.
 */
final class SyncFanoutScenario {
    private static final String FILTER =
            "{\"room\":{\"timeline\":{\"limit\":20},\"state\":{\"lazy_load_members\":true}},"
                    + "\"presence\":{\"types\":[]},\"account_data\":{\"types\":[]}}";

    static final int HISTOGRAM_CLASSES = 15;

    private SyncFanoutScenario() {}

    private record Received(String eventId, long at) {}

    static void run(Context c) throws Exception {
        Plan p = c.plan();
        MatrixHttp http = c.http();
        int clients = Math.min(p.fanoutClients(), c.users().size());
        List<String> rooms = new ArrayList<>();
        for (int r = 0; r < p.fanoutRooms(); r++) {
            rooms.add(http.createPublicRoom(c.admin().token(), "fanout " + r));
        }
        ClosedLoop.Result joins = ClosedLoop.run(
                p.concurrency(),
                Duration.ofMinutes(3),
                clients,
                (w, seq) -> http.join(c.users().get((int) seq).token(), rooms.get((int) seq % rooms.size())));
        String[] since = new String[clients];
        ClosedLoop.Result initial = ClosedLoop.run(p.concurrency(), Duration.ofMinutes(3), clients, (w, seq) -> {
            since[(int) seq] = http.send(
                            EndpointCall.of(SyncEndpoint.SPEC).query("filter", FILTER),
                            c.users().get((int) seq).token())
                    .path("next_batch")
                    .asText();
        });
        if (joins.errors() + initial.errors() > 0) {
            throw new IllegalStateException(
                    "sync-fanout setup failed: " + joins.firstError() + " " + initial.firstError());
        }

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong syncErrors = new AtomicLong();
        AtomicLong syncs = new AtomicLong();
        List<List<Received>> received = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            List<Received> mine = new ArrayList<>();
            received.add(mine);
            String token = c.users().get(i).token();
            int client = i;
            threads.add(Thread.ofVirtual().name("sync-", i).start(() -> {
                String from = since[client];
                while (!stop.get()) {
                    try {
                        JsonNode body = http.exchange(
                                        EndpointCall.of(SyncEndpoint.SPEC)
                                                .query("timeout", 20000)
                                                .query("filter", FILTER)
                                                .query("since", from),
                                        token,
                                        Duration.ofSeconds(40))
                                .body();
                        long now = System.nanoTime();
                        syncs.incrementAndGet();
                        from = body.path("next_batch").asText(from);
                        for (JsonNode room : body.path("rooms").path("join")) {
                            for (JsonNode event : room.path("timeline").path("events")) {
                                mine.add(new Received(event.path("event_id").asText(), now));
                            }
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        syncErrors.incrementAndGet();
                    }
                }
            }));
        }
        Thread.sleep(3000); // let every client park its long poll

        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        ProfiledPhase profile = ProfiledPhase.start(c, "sync-fanout");
        var cpu0 = c.cpu().sample();
        long end = System.nanoTime() + p.fanoutTime().toNanos();
        long sendErrors = 0;
        int n = 0;
        while (System.nanoTime() < end) {
            long next = System.nanoTime() + p.fanoutInterval().toNanos();
            try {
                String id = http.sendText(c.admin().token(), rooms.get(n % rooms.size()), "f" + n, "fanout " + n);
                sentAt.put(id, System.nanoTime());
            } catch (Exception e) {
                sendErrors++;
            }
            n++;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
        }
        Thread.sleep(3000); // deliveries in flight
        ProcessCpu.Usage cpu = c.cpu().since(cpu0);
        profile.stopAndReport();
        stop.set(true);
        // Wake every waiting sync so that the clients see the stop flag now rather than at timeout.
        for (int r = 0; r < rooms.size(); r++) {
            http.sendText(c.admin().token(), rooms.get(r), "stop" + r, "stop");
        }
        for (Thread t : threads) {
            if (!t.join(Duration.ofSeconds(30))) {
                t.interrupt();
            }
        }

        LongList delays = new LongList();
        long early = 0;
        for (List<Received> list : received) {
            for (Received r : list) {
                Long sent = sentAt.get(r.eventId());
                if (sent != null) {
                    long d = r.at() - sent;
                    if (d < 0) {
                        early++;
                    }
                    delays.add(Math.max(0, d));
                }
            }
        }
        long expected = (long) sentAt.size() * clients / rooms.size();
        Latencies delay = Latencies.ofNanos(delays.toArray());
        var fixed = c.ceilings().fixed().latency();
        c.add("sync-fanout", "clients waiting", clients, "");
        c.add("sync-fanout", "messages sent", sentAt.size(), "");
        c.add("sync-fanout", "deliveries (of expected)", delay.count(), "", "expected", expected);
        c.add("sync-fanout", "delay p50", delay.p50(), "ms", "fixed JSON p50", fixed.p50());
        c.add("sync-fanout", "delay p99", delay.p99(), "ms", "fixed JSON p99", fixed.p99());
        c.add("sync-fanout", "delay max", delay.max(), "ms", "fixed JSON max", fixed.max());
        c.add("sync-fanout", "syncs answered before send reply", early, "");
        c.add("sync-fanout", "sync errors / send errors", syncErrors.get() + sendErrors, "");
        if (!c.cpu().isEmpty() && delay.count() > 0) {
            c.add("sync-fanout", "server CPU per delivered event", cpu.total().toNanos() / 1e3 / delay.count(), "us");
            if (cpu.byProcess().size() > 1) {
                cpu.byProcess()
                        .forEach((name, used) -> c.add(
                                "sync-fanout",
                                "CPU per delivered event: " + name,
                                used.toNanos() / 1e3 / delay.count(),
                                "us"));
            }
        }
        if (c.server().isPresent()) {
            ServerProcess server = c.server().get();
            long[] heap = server.heapBytes();
            c.add("sync-fanout", "RSS right after", server.rssBytes() / 1048576.0, "MiB", "target", 400);
            c.add("sync-fanout", "heap used right after", heap[0] / 1048576.0, "MiB");
            c.add("sync-fanout", "heap committed right after", heap[1] / 1048576.0, "MiB");
        }
    }

    /**
     * The server's heap histogram after the fan-out: the {@value #HISTOGRAM_CLASSES} classes with
     * the most live bytes, printed and written to the JSON details, and the live heap after the full
     * GC that the histogram runs.
     */
    static void heapHistogram(Context c) throws Exception {
        if (c.server().isEmpty()) {
            return;
        }
        ServerProcess server = c.server().get();
        HeapHistogram histogram = HeapHistogram.parse(server.jcmd("GC.class_histogram"), HISTOGRAM_CLASSES);
        c.add("sync-fanout", "live heap (histogram total)", histogram.totalBytes() / 1048576.0, "MiB");
        c.add("sync-fanout", "RSS after the histogram's full GC", server.rssBytes() / 1048576.0, "MiB");
        c.report().extra.set("heap_histogram_after_sync_fanout_" + c.db(), MatrixHttp.JSON.valueToTree(histogram));
        System.out.printf(
                Locale.ROOT,
                "Heap histogram of the server after sync-fanout (%s): %,d live objects, %.1f MiB; top %d by bytes%n",
                c.db(),
                histogram.totalInstances(),
                histogram.totalBytes() / 1048576.0,
                HISTOGRAM_CLASSES);
        for (HeapHistogram.Entry e : histogram.top()) {
            System.out.printf(
                    Locale.ROOT,
                    "  %9.1f MiB %5.1f%% %,12d  %s%n",
                    e.bytes() / 1048576.0,
                    100.0 * e.bytes() / Math.max(1, histogram.totalBytes()),
                    e.instances(),
                    e.className());
        }
    }
}
