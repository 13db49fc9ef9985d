package dev.myelin.bench;

import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.api.client.sync.SyncEndpoint;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.testing.workers.WorkerDeployment;
import dev.myelin.testing.workers.WorkerRole;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --workers}: the {@code send} and {@code sync-fanout} scenarios against the homeserver as
 * several processes ({@link WorkerDeployment}: one PostgreSQL database, one Redis) in each
 * {@link Layout}, after the plain single process and the deployment's main process alone, for
 * comparison. Each layout gets a database of its own, seeded before its processes start, a short
 * unmeasured warm-up, and is stopped before the next starts.
 *
 * <p>Requests go straight to the process a load balancer would pick, decided in the client
 * ({@link #router}) rather than by the deployment's proxy so that no extra hop, and no proxy CPU
 * in the bench's JVM, stands between the load and the processes on a small machine (the single
 * process is driven without one either): a message to its room's event persister
 * ({@link Routing#ROOM}) or to the persisters in turn ({@link Routing#PROXY}), {@code /sync} to a
 * sync worker by access token, everything else to the main process. CPU is read per process and reported per process and in
 * total; the {@code workers} rows put each figure next to the plain single process's.
 */
final class WorkersBench {

    /**
     * A server shape; {@code label} is its database column in the report. Without
     * {@code deployment}, the plain single process of {@code --postgres} (no Redis, no worker
     * configuration); with it, a {@link WorkerDeployment} of the main process and the given workers.
     */
    record Layout(String label, boolean deployment, int persisters, int syncWorkers) {}

    static final List<Layout> LAYOUTS = List.of(
            new Layout("single", false, 0, 0),
            new Layout("main", true, 0, 0),
            new Layout("m+1p+1s", true, 1, 1),
            new Layout("m+2p+1s", true, 2, 1),
            new Layout("m+2p+2s", true, 2, 2));

    /** How the client picks the process for a request that creates an event. */
    enum Routing {
        /** As {@code PathRoutingProxy}: the event writers in turn, whichever room it is. */
        PROXY,
        /** The room's own event persister; everything else as the proxy routes it. */
        ROOM
    }

    private static final Pattern EVENT_WRITE =
            Pattern.compile("^/_matrix/client/(?:r0|v3)/rooms/([^/]+)/(?:send|state|redact)(?:/.*)?$");

    /** The metrics compared with the single process's: scenario, metric. */
    private static final List<String[]> COMPARED = List.of(
            new String[] {"send", "messages/s"},
            new String[] {"send", "server CPU per message"},
            new String[] {"sync-fanout", "delay p50"},
            new String[] {"sync-fanout", "delay p99"},
            new String[] {"sync-fanout", "server CPU per delivered event"});

    /** Makes a fresh, empty PostgreSQL database and returns its config. */
    interface Databases {
        DatabaseConfig create(String name) throws Exception;
    }

    private WorkersBench() {}

    static void run(
            Path jar,
            Databases databases,
            Routing routing,
            boolean quick,
            Plan plan,
            Report report,
            Set<String> only,
            Context.Ceilings ceilings)
            throws Exception {
        for (Layout layout : LAYOUTS) {
            if (quick && layout.label().equals("main")) {
                continue; // --quick: the plain single process is the comparison
            }
            long t0 = System.nanoTime();
            try {
                runLayout(jar, databases, routing, layout, plan, report, only, ceilings);
            } catch (Exception e) {
                System.err.println(layout.label() + ": failed: " + e);
                e.printStackTrace();
                report.add(layout.label(), "workers", "FAILED: " + e.getClass().getSimpleName(), Double.NaN, "");
            }
            System.err.printf(Locale.ROOT, "%s: layout took %.0f s%n", layout.label(), (System.nanoTime() - t0) / 1e9);
        }
        compare(report);
    }

    private static void runLayout(
            Path jar,
            Databases databases,
            Routing routing,
            Layout layout,
            Plan plan,
            Report report,
            Set<String> only,
            Context.Ceilings ceilings)
            throws Exception {
        String db = layout.label();
        DatabaseConfig database =
                databases.create("myelin_workers_" + layout.label().replaceAll("[^a-z0-9]", "_"));
        List<String> localparts = new ArrayList<>(List.of("admin", "syncer"));
        int users = Math.max(plan.sendUsers(), plan.fanoutClients());
        for (int i = 0; i < users; i++) {
            localparts.add(String.format(Locale.ROOT, "u%05d", i));
        }
        List<Seeder.Account> accounts = Seeder.seed(database, localparts);
        if (!layout.deployment()) {
            Path dir = Files.createTempDirectory("myelin-bench-single-");
            String[] pg = {database.jdbcUrl(), "postgres", "postgres"};
            try (ServerProcess server = ServerProcess.prepare(jar, dir, Optional.of(pg))) {
                server.start(jar);
                System.err.println(db + ": server pid " + server.pid() + " at " + server.baseUrl());
                try (MatrixHttp http = new MatrixHttp(server.baseUrl(), Duration.ofSeconds(60))) {
                    // no ServerProcess in the context: no JFR recording, as for the deployments
                    scenarios(
                            new Context(
                                    http,
                                    plan,
                                    report,
                                    db,
                                    Optional.empty(),
                                    ProcessCpu.single(server.pid()),
                                    accounts.get(0),
                                    accounts.get(1),
                                    accounts.subList(2, accounts.size()),
                                    ceilings),
                            only);
                }
            } finally {
                // its config and log only (the data is in PostgreSQL); kept as a deployment's is
                if (!Boolean.getBoolean(WorkerDeployment.KEEP_DIRECTORY_PROPERTY)) {
                    deleteTree(dir);
                }
            }
            return;
        }
        try (WorkerDeployment deployment = WorkerDeployment.builder(jar, database)
                        .serverName(ServerProcess.SERVER_NAME)
                        .eventPersisters(layout.persisters())
                        .syncWorkers(layout.syncWorkers())
                        .startTimeout(Duration.ofSeconds(120))
                        .start();
                TimeBudget budget = new TimeBudget(db, budget(plan), deployment::close)) {
            Map<String, Long> pids = new LinkedHashMap<>();
            for (String name : deployment.names()) {
                pids.put(name, deployment.pid(name));
            }
            System.err.println(db + ": processes " + pids + ", logs in " + deployment.directory());
            MatrixHttp.Router router = router(deployment, routing);
            try (MatrixHttp http = new MatrixHttp(deployment.proxyUrl(), Duration.ofSeconds(60), router)) {
                scenarios(
                        new Context(
                                http,
                                plan,
                                report,
                                db,
                                Optional.empty(),
                                new ProcessCpu(pids),
                                accounts.get(0),
                                accounts.get(1),
                                accounts.subList(2, accounts.size()),
                                ceilings),
                        only);
            }
            if (budget.expired()) {
                report.add(
                        db,
                        "workers",
                        "stopped: time budget used up",
                        budget.limit().toSeconds(),
                        "s");
            }
        }
    }

    /**
     * Where each request goes: as the deployment's proxy routes it ({@link Routing#PROXY}), except,
     * with {@link Routing#ROOM}, that a request creating an event in a room goes to the room's own
     * event persister, chosen as every process chooses it (docs/workers.md, "Sharding by hash"),
     * so that no persister has to forward it to another.
     */
    static MatrixHttp.Router router(WorkerDeployment deployment, Routing routing) {
        List<String> persisters = deployment.names(WorkerRole.EVENT_PERSISTER).stream()
                .map(deployment::processUrl)
                .toList();
        return (path, token) -> {
            if (routing == Routing.ROOM && !persisters.isEmpty()) {
                Matcher m = EVENT_WRITE.matcher(path);
                if (m.matches()) {
                    return persisters.get(
                            writerIndex(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8), persisters.size()));
                }
            }
            return deployment
                    .proxy()
                    .route(path, Optional.ofNullable(token))
                    .url()
                    .toString();
        };
    }

    /** The index of a room's event writer among {@code writers}: the first four bytes of the SHA-256 of its id, mod n. */
    static int writerIndex(String roomId, int writers) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(roomId.getBytes(StandardCharsets.UTF_8));
            long h = ((hash[0] & 0xFFL) << 24)
                    | ((hash[1] & 0xFFL) << 16)
                    | ((hash[2] & 0xFFL) << 8)
                    | (hash[3] & 0xFFL);
            return (int) (h % writers);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    /**
     * How long a deployment may take for its warm-up and scenarios: twice their measured phases,
     * plus set-up (joins and initial syncs scale with the fan-out clients). A deployment whose
     * requests stall is stopped when it is up, its remaining requests fail at once and the run
     * goes on with the next layout.
     */
    static Duration budget(Plan plan) {
        return Duration.ofSeconds(20)
                .plus(plan.sendTime().plus(plan.fanoutTime()).multipliedBy(2))
                .plus(Duration.ofMillis(60L * plan.fanoutClients()));
    }

    /** Runs {@code stop} once {@code limit} has passed, unless closed first. */
    private static final class TimeBudget implements AutoCloseable {
        private final Duration limit;
        private final Thread watcher;
        private volatile boolean expired;

        TimeBudget(String label, Duration limit, Runnable stop) {
            this.limit = limit;
            this.watcher = Thread.ofVirtual().name("budget-" + label).start(() -> {
                try {
                    Thread.sleep(limit);
                } catch (InterruptedException closed) {
                    return;
                }
                expired = true;
                System.err.println(label + ": time budget of " + limit.toSeconds() + " s used up; stopping it");
                stop.run();
            });
        }

        Duration limit() {
            return limit;
        }

        boolean expired() {
            return expired;
        }

        @Override
        public void close() {
            watcher.interrupt();
        }
    }

    private static void scenarios(Context c, Set<String> only) {
        Main.step(c, Set.of("warm-up"), "warm-up", () -> warmUp(c));
        Main.step(c, only, "send", () -> SendScenario.run(c));
        Main.step(c, only, "sync-fanout", () -> SyncFanoutScenario.run(c));
    }

    /**
     * Half a send phase of unmeasured sends and syncs, so that every process has compiled its hot
     * paths before the scenarios measure its CPU: each layout starts fresh JVMs, and a cold JIT
     * would otherwise be most of the CPU a short run divides by its messages.
     */
    private static void warmUp(Context c) throws Exception {
        Plan p = c.plan();
        MatrixHttp http = c.http();
        List<Seeder.Account> warm = c.users().subList(0, Math.min(20, c.users().size()));
        String room = http.createPublicRoom(c.admin().token(), "warm-up");
        ClosedLoop.Result joins = ClosedLoop.run(
                warm.size(),
                Duration.ofMinutes(1),
                warm.size(),
                (w, seq) -> http.join(warm.get((int) seq).token(), room));
        ClosedLoop.Result sends = ClosedLoop.run(
                p.concurrency(),
                p.sendTime().dividedBy(2),
                Long.MAX_VALUE,
                (w, seq) -> http.sendText(warm.get(w % warm.size()).token(), room, "w" + seq, "warm-up " + seq));
        ClosedLoop.Result syncs = ClosedLoop.run(
                warm.size(),
                Duration.ofMinutes(1),
                warm.size(),
                (w, seq) -> http.send(
                        EndpointCall.of(SyncEndpoint.SPEC), warm.get((int) seq).token()));
        System.err.printf(
                Locale.ROOT,
                "%s: warm-up: %d sends (%.0f/s), %d syncs, errors %d%n",
                c.db(),
                sends.ops(),
                sends.perSecond(),
                syncs.ops(),
                joins.errors() + sends.errors() + syncs.errors());
    }

    /** Adds, per layout, each {@link #COMPARED} figure next to the single process's. */
    private static void compare(Report report) {
        String single = LAYOUTS.getFirst().label();
        List<Report.Row> added = new ArrayList<>();
        for (Layout layout : LAYOUTS.subList(1, LAYOUTS.size())) {
            for (String[] metric : COMPARED) {
                Optional<Report.Row> mine = find(report, layout.label(), metric[0], metric[1]);
                Optional<Report.Row> base = find(report, single, metric[0], metric[1]);
                if (mine.isPresent() && base.isPresent()) {
                    Report.Row m = mine.get();
                    added.add(new Report.Row(
                            layout.label(),
                            "workers",
                            m.scenario() + " " + m.metric(),
                            m.value(),
                            m.unit(),
                            "single process",
                            base.get().value()));
                }
            }
        }
        for (Report.Row r : added) {
            report.add(r.database(), r.scenario(), r.metric(), r.value(), r.unit(), r.ceilingName(), r.ceiling());
        }
    }

    private static Optional<Report.Row> find(Report report, String db, String scenario, String metricPrefix) {
        return report.rows.stream()
                .filter(r -> r.database().equals(db)
                        && r.scenario().equals(scenario)
                        && r.metric().startsWith(metricPrefix))
                .findFirst();
    }
}
