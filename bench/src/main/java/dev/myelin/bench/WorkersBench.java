package dev.myelin.bench;

import dev.myelin.storage.DatabaseConfig;
import dev.myelin.testing.workers.WorkerDeployment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --workers}: the {@code send} and {@code sync-fanout} scenarios against the homeserver as
 * several processes ({@link WorkerDeployment}: one PostgreSQL database, one Redis) in each
 * {@link Layout}, the main process alone first for comparison. Each layout gets a database of its
 * own, seeded before its processes start, and is stopped before the next starts.
 *
 * <p>Requests go straight to the process the deployment's proxy would pick
 * ({@code PathRoutingProxy.route}): {@code /send} to the event persisters in turn, {@code /sync}
 * to a sync worker by access token, everything else to the main process. The proxy's decision is
 * made in the client rather than by the proxy itself so that no extra hop, and no proxy CPU in
 * the bench's JVM, stands between the load and the processes on a small machine; the single
 * process is driven without one either. CPU is read per process and reported per process and in
 * total, with the total compared with the single process's.
 */
final class WorkersBench {

    /** A deployment shape; {@code label} is its database column in the report. */
    record Layout(String label, int persisters, int syncWorkers) {}

    static final List<Layout> LAYOUTS = List.of(
            new Layout("main", 0, 0),
            new Layout("m+1p+1s", 1, 1),
            new Layout("m+2p+1s", 2, 1),
            new Layout("m+2p+2s", 2, 2));

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
            Path jar, Databases databases, Plan plan, Report report, Set<String> only, Context.Ceilings ceilings)
            throws Exception {
        for (Layout layout : LAYOUTS) {
            long t0 = System.nanoTime();
            try {
                runLayout(jar, databases, layout, plan, report, only, ceilings);
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
            Layout layout,
            Plan plan,
            Report report,
            Set<String> only,
            Context.Ceilings ceilings)
            throws Exception {
        String db = layout.label();
        DatabaseConfig database =
                databases.create("myelin_workers_" + layout.persisters() + "p" + layout.syncWorkers() + "s");
        List<String> localparts = new ArrayList<>(List.of("admin", "syncer"));
        int users = Math.max(plan.sendUsers(), plan.fanoutClients());
        for (int i = 0; i < users; i++) {
            localparts.add(String.format(Locale.ROOT, "u%05d", i));
        }
        List<Seeder.Account> accounts = Seeder.seed(database, localparts);
        try (WorkerDeployment deployment = WorkerDeployment.builder(jar, database)
                .serverName(ServerProcess.SERVER_NAME)
                .eventPersisters(layout.persisters())
                .syncWorkers(layout.syncWorkers())
                .startTimeout(Duration.ofSeconds(120))
                .start()) {
            Map<String, Long> pids = new LinkedHashMap<>();
            for (String name : deployment.names()) {
                pids.put(name, deployment.pid(name));
            }
            System.err.println(db + ": processes " + pids + ", logs in " + deployment.directory());
            MatrixHttp.Router router = (path, token) -> deployment
                    .proxy()
                    .route(path, Optional.ofNullable(token))
                    .url()
                    .toString();
            try (MatrixHttp http = new MatrixHttp(deployment.proxyUrl(), Duration.ofSeconds(60), router)) {
                Context c = new Context(
                        http,
                        plan,
                        report,
                        db,
                        Optional.empty(),
                        new ProcessCpu(pids),
                        accounts.get(0),
                        accounts.get(1),
                        accounts.subList(2, accounts.size()),
                        ceilings);
                Main.step(c, only, "send", () -> SendScenario.run(c));
                Main.step(c, only, "sync-fanout", () -> SyncFanoutScenario.run(c));
            }
        }
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
