package dev.myelin.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.api.client.account.LoginResponse;
import dev.myelin.server.api.client.account.RegisterEndpoint;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.account.PasswordHasher;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The benchmark command. Without arguments: measures the ceilings, then starts the homeserver jar
 * on SQLite as a child process and runs every scenario against it, prints the table and writes it
 * as JSON. {@code jmh [args]} runs the JMH micro-benchmarks instead. See docs/performance.md.
 */
public final class Main {
    /** The BCrypt cost the homeserver hashes passwords with ({@code Homeserver.Options.defaults()}). */
    static final int SERVER_BCRYPT_COST = 12;

    static final List<String> SCENARIOS = List.of(
            "send",
            "sync-fanout",
            "initial-sync",
            "warm-initial-sync",
            "incremental-sync",
            "join-large-room",
            "register-login",
            "idle-memory");

    private static final String USAGE = """
            usage: java -jar bench/target/myelin-bench.jar [options]
                   java -jar bench/target/myelin-bench.jar jmh [JMH options]   (default: -f 1 -wi 2 -i 3 -w 1s -r 1s)
                   e.g. jmh SyncBenchmarks -f 1 -wi 5 -i 5 -w 2s -r 2s
              --quick                 a ~3-minute run with fewer clients, rooms and shorter phases
              --postgres              also run every scenario on an embedded PostgreSQL (with its
                                      own insert ceiling: one committed row per request)
              --postgres-url URL      ... on this (empty) PostgreSQL database instead; with
                                      --postgres-user U --postgres-password P
              --jar PATH              the homeserver jar (default matrix-server/target/myelin.jar)
              --workers               instead of the above: send and sync-fanout on an embedded
                                      PostgreSQL against the single process, the main process
                                      alone (not with --quick), main + 1 event persister + 1 sync
                                      worker, main + 2 + 1, main + 2 + 2 (needs
                                      /usr/bin/redis-server); CPU per process
              --workers-routing R     room (default): a message goes to its room's event persister;
                                      proxy: to the persisters in turn, as PathRoutingProxy routes
              --url URL               drive an already running server instead (users are registered
                                      over HTTP, so keep it small; no CPU, memory or profile figures)
              --concurrency C         closed-loop concurrency (default 50)
              --only a,b              scenarios (default all, run in this order): send, sync-fanout
                                      (then, after idle-memory's reading, a heap histogram),
                                      idle-memory (after start-up and after sync-fanout),
                                      initial-sync, warm-initial-sync, incremental-sync,
                                      join-large-room, register-login
              --out DIR               where the JSON goes (default bench/results)
            """;

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            if (rest.length == 0) {
                rest = new String[] {"-f", "1", "-wi", "2", "-i", "3", "-w", "1s", "-r", "1s"};
            }
            org.openjdk.jmh.Main.main(rest);
            return;
        }
        boolean quick = false;
        boolean postgres = false;
        boolean workers = false;
        WorkersBench.Routing routing = WorkersBench.Routing.ROOM;
        String pgUrl = null;
        String pgUser = "postgres";
        String pgPassword = "postgres";
        Path jar = Path.of("matrix-server/target/myelin.jar");
        String url = null;
        int concurrency = 50;
        Set<String> only = null;
        Path out = Files.isDirectory(Path.of("bench")) ? Path.of("bench/results") : Path.of("results");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--postgres" -> postgres = true;
                case "--workers" -> workers = true;
                case "--workers-routing" -> routing = WorkersBench.Routing.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--postgres-url" -> {
                    postgres = true;
                    pgUrl = args[++i];
                }
                case "--postgres-user" -> pgUser = args[++i];
                case "--postgres-password" -> pgPassword = args[++i];
                case "--jar" -> jar = Path.of(args[++i]);
                case "--url" -> url = args[++i];
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--only" -> only = new LinkedHashSet<>(List.of(args[++i].split(",")));
                case "--out" -> out = Path.of(args[++i]);
                case "-h", "--help" -> {
                    System.out.print(USAGE);
                    return;
                }
                default -> {
                    System.err.print("unknown argument " + args[i] + "\n" + USAGE);
                    System.exit(2);
                }
            }
        }
        if (only == null) {
            only = new LinkedHashSet<>(workers ? List.of("send", "sync-fanout") : SCENARIOS);
        }
        if (!only.stream().allMatch(SCENARIOS::contains)
                || (workers && !List.of("send", "sync-fanout").containsAll(only))) {
            System.err.print("unknown scenario in --only " + only + "\n" + USAGE);
            System.exit(2);
        }
        if (workers && (url != null || postgres)) {
            System.err.print("--workers runs on its own embedded PostgreSQL, without --url or --postgres\n" + USAGE);
            System.exit(2);
        }
        if (url == null && !Files.isRegularFile(jar)) {
            System.err.println(
                    "no homeserver jar at " + jar + " (build it with ./mvnw -q -pl bench -am package -DskipTests)");
            System.exit(2);
        }
        jar = jar.toAbsolutePath();
        Plan plan = quick ? Plan.quick(concurrency) : Plan.standard(concurrency);
        Report report = new Report();
        ObjectNode machine = machine(quick);
        long started = System.nanoTime();

        Context.Ceilings ceilings = ceilings(plan, report);
        if (workers) {
            runWorkers(jar, routing, quick, plan, report, only, ceilings);
        } else if (url != null) {
            runAgainstUrl(url, plan, report, only, ceilings);
        } else {
            runWithChild(jar, "sqlite", Optional.empty(), plan, report, only, ceilings);
            if (postgres) {
                if (pgUrl != null) {
                    runOnPostgres(jar, new String[] {pgUrl, pgUser, pgPassword}, plan, report, only, ceilings);
                } else {
                    try (EmbeddedPostgres pg = embeddedPostgres()) {
                        String db = "myelin_bench";
                        try (Connection conn = pg.getPostgresDatabase().getConnection();
                                Statement s = conn.createStatement()) {
                            s.execute("CREATE DATABASE " + db);
                        }
                        String jdbc = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + db;
                        runOnPostgres(jar, new String[] {jdbc, "postgres", "postgres"}, plan, report, only, ceilings);
                    }
                }
            }
        }
        machine.put("load_average_end", loadAverage());
        machine.put("run_seconds", (System.nanoTime() - started) / 1e9);
        System.out.println();
        System.out.println("Myelin benchmark" + (quick ? " (--quick)" : "") + ": "
                + machine.path("nproc").asInt()
                + " cores, " + machine.path("memory").asText() + ", JDK "
                + machine.path("jdk").asText()
                + ", load average " + machine.path("load_average_start").asText() + " -> "
                + machine.path("load_average_end").asText());
        report.print(System.out);
        Path file = out.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        report.write(file, machine);
        System.out.println("wrote " + file);
    }

    private static Context.Ceilings ceilings(Plan plan, Report report) throws Exception {
        System.err.println("ceilings (" + plan.ceilingTime().toSeconds() + " s each, C=" + plan.concurrency() + ")");
        try (Ceiling ceiling = new Ceiling();
                MatrixHttp http = new MatrixHttp(ceiling.baseUrl(), Duration.ofSeconds(30))) {
            var fixedRequest =
                    http.request("/fixed", null, Duration.ofSeconds(30)).GET().build();
            ClosedLoop.run(
                    plan.concurrency(), Duration.ofSeconds(2), Long.MAX_VALUE, (w, s) -> http.send(fixedRequest));
            ClosedLoop.Result fixed = ClosedLoop.run(
                    plan.concurrency(), plan.ceilingTime(), Long.MAX_VALUE, (w, s) -> http.send(fixedRequest));
            byte[] body = "{\"msgtype\":\"m.text\",\"body\":\"bench message\"}".getBytes();
            ClosedLoop.Result insert = ClosedLoop.run(
                    plan.concurrency(),
                    plan.ceilingTime(),
                    Long.MAX_VALUE,
                    (w, s) -> http.send(http.request("/insert", null, Duration.ofSeconds(30))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                            .build()));
            report.add("-", "ceiling", "fixed JSON requests/s", fixed.perSecond(), "1/s");
            report.add("-", "ceiling", "fixed JSON p50", fixed.latency().p50(), "ms");
            report.add("-", "ceiling", "fixed JSON p99", fixed.latency().p99(), "ms");
            report.add("-", "ceiling", "sqlite insert requests/s", insert.perSecond(), "1/s");
            report.add("-", "ceiling", "sqlite insert p50", insert.latency().p50(), "ms");
            report.add("-", "ceiling", "sqlite insert p99", insert.latency().p99(), "ms");
            PasswordHasher hasher = PasswordHasher.bcrypt(SERVER_BCRYPT_COST);
            long t0 = System.nanoTime();
            for (int i = 0; i < plan.bcryptSamples(); i++) {
                hasher.hash("bench-password-" + i);
            }
            double ms = (System.nanoTime() - t0) / 1e6 / plan.bcryptSamples();
            double perSecond = Runtime.getRuntime().availableProcessors() * 1000 / ms;
            report.add("-", "ceiling", "bcrypt cost " + SERVER_BCRYPT_COST + " per hash", ms, "ms");
            report.add("-", "ceiling", "bcrypt hashes/s all cores", perSecond, "1/s");
            return new Context.Ceilings(fixed, insert, "sqlite insert", ms, perSecond);
        }
    }

    /**
     * Measures the PostgreSQL insert ceiling on {@code pg} (url, user, password), then runs the
     * scenarios on a server using that database, compared with it.
     */
    /** The one-committed-row-per-request ceiling on {@code pg} (url, user, password), added to the report. */
    private static ClosedLoop.Result postgresInsertCeiling(String[] pg, Plan plan, Report report) throws Exception {
        System.err.println(
                "postgres: insert ceiling (" + plan.ceilingTime().toSeconds() + " s, C=" + plan.concurrency() + ")");
        ClosedLoop.Result insert;
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(pg[0]);
        pool.setUsername(pg[1]);
        pool.setPassword(pg[2]);
        // the homeserver's default PostgreSQL pool size (DatabaseConfig.postgres)
        pool.setMaximumPoolSize(DatabaseConfig.postgres(pg[0], pg[1], pg[2]).maxPoolSize());
        try (HikariDataSource source = new HikariDataSource(pool);
                Ceiling ceiling = new Ceiling(source);
                MatrixHttp http = new MatrixHttp(ceiling.baseUrl(), Duration.ofSeconds(30))) {
            byte[] body = "{\"msgtype\":\"m.text\",\"body\":\"bench message\"}".getBytes();
            insert = ClosedLoop.run(
                    plan.concurrency(),
                    plan.ceilingTime(),
                    Long.MAX_VALUE,
                    (w, s) -> http.send(http.request("/insert-postgres", null, Duration.ofSeconds(30))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                            .build()));
        }
        report.add("-", "ceiling", "postgres insert requests/s", insert.perSecond(), "1/s");
        report.add("-", "ceiling", "postgres insert p50", insert.latency().p50(), "ms");
        report.add("-", "ceiling", "postgres insert p99", insert.latency().p99(), "ms");
        if (insert.errors() > 0) {
            System.err.println("postgres insert ceiling: " + insert.errors() + " errors, first " + insert.firstError());
        }
        return insert;
    }

    /**
     * {@code --workers}: an embedded PostgreSQL with a database per deployment layout (and one for
     * the insert ceiling), then {@link WorkersBench}; the database server is stopped at the end.
     */
    private static void runWorkers(
            Path jar,
            WorkersBench.Routing routing,
            boolean quick,
            Plan plan,
            Report report,
            Set<String> only,
            Context.Ceilings ceilings)
            throws Exception {
        try (EmbeddedPostgres pg = embeddedPostgres()) {
            WorkersBench.Databases databases = name -> {
                try (Connection conn = pg.getPostgresDatabase().getConnection();
                        Statement s = conn.createStatement()) {
                    s.execute("CREATE DATABASE " + name);
                }
                return DatabaseConfig.fromJdbcUrl(
                        "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + name, "postgres", "postgres");
            };
            DatabaseConfig ceilingDb = databases.create("myelin_ceiling");
            ClosedLoop.Result insert =
                    postgresInsertCeiling(new String[] {ceilingDb.jdbcUrl(), "postgres", "postgres"}, plan, report);
            WorkersBench.run(
                    jar, databases, routing, quick, plan, report, only, ceilings.withInsert("postgres insert", insert));
        }
    }

    private static void runOnPostgres(
            Path jar, String[] pg, Plan plan, Report report, Set<String> only, Context.Ceilings ceilings)
            throws Exception {
        ClosedLoop.Result insert = postgresInsertCeiling(pg, plan, report);
        runWithChild(
                jar, "postgres", Optional.of(pg), plan, report, only, ceilings.withInsert("postgres insert", insert));
    }

    private static void runWithChild(
            Path jar,
            String db,
            Optional<String[]> pg,
            Plan plan,
            Report report,
            Set<String> only,
            Context.Ceilings ceilings)
            throws Exception {
        Path dir = Files.createTempDirectory("myelin-bench-" + db);
        System.err.println(db + ": server in " + dir);
        try (ServerProcess server = ServerProcess.prepare(jar, dir, pg)) {
            DatabaseConfig dbc = pg.map(a -> DatabaseConfig.fromJdbcUrl(a[0], a[1], a[2]))
                    .orElseGet(() -> DatabaseConfig.sqlite(server.sqliteFile()));
            List<String> localparts = new ArrayList<>(List.of("admin", "syncer"));
            for (int i = 0; i < plan.seededUsers(); i++) {
                localparts.add(String.format(Locale.ROOT, "u%05d", i));
            }
            long t0 = System.nanoTime();
            List<Seeder.Account> accounts = Seeder.seed(dbc, localparts);
            System.err.printf(
                    Locale.ROOT,
                    "%s: seeded %d accounts in %.1f s%n",
                    db,
                    accounts.size(),
                    (System.nanoTime() - t0) / 1e9);
            server.start(jar);
            System.err.println(db + ": server pid " + server.pid() + " at " + server.baseUrl());
            try (MatrixHttp http = new MatrixHttp(server.baseUrl(), Duration.ofSeconds(60))) {
                Context c = new Context(
                        http,
                        plan,
                        report,
                        db,
                        Optional.of(server),
                        ProcessCpu.single(server.pid()),
                        accounts.get(0),
                        accounts.get(1),
                        accounts.subList(2, accounts.size()),
                        ceilings);
                if (only.contains("idle-memory")) {
                    Thread.sleep(5000);
                    memory(c, "after start-up");
                }
                scenarios(c, only);
            }
        }
    }

    private static void runAgainstUrl(String url, Plan plan, Report report, Set<String> only, Context.Ceilings ceilings)
            throws Exception {
        try (MatrixHttp http = new MatrixHttp(url, Duration.ofSeconds(60))) {
            String prefix = "b" + Long.toString(System.currentTimeMillis() % 10_000_000, 36) + "_";
            int wanted = Math.min(plan.seededUsers(), 500) + 2;
            List<Seeder.Account> accounts = new ArrayList<>();
            ClosedLoop.Result r = ClosedLoop.run(plan.concurrency(), Duration.ofSeconds(120), wanted, (w, seq) -> {
                LoginResponse reply = http.send(EndpointCall.of(
                        RegisterEndpoint.SPEC, RegisterEndpoint.Request.dummy(prefix + seq, "bench-password-1")));
                synchronized (accounts) {
                    accounts.add(new Seeder.Account(reply.userId(), reply.accessToken()));
                }
            });
            System.err.println("registered " + accounts.size() + " users on " + url
                    + (r.firstError() == null ? "" : "; first error " + r.firstError()));
            Context c = new Context(
                    http,
                    plan,
                    report,
                    "url",
                    Optional.empty(),
                    ProcessCpu.none(),
                    accounts.get(0),
                    accounts.get(1),
                    accounts.subList(2, accounts.size()),
                    ceilings);
            scenarios(c, only);
        }
    }

    private static void scenarios(Context c, Set<String> only) throws Exception {
        step(c, only, "send", () -> SendScenario.run(c));
        step(c, only, "sync-fanout", () -> SyncFanoutScenario.run(c));
        if (only.contains("idle-memory") && only.contains("sync-fanout")) {
            step(c, only, "idle-memory", () -> {
                Thread.sleep(5000);
                memory(c, "after sync-fanout");
            });
        }
        if (only.contains("sync-fanout")) {
            // after the idle-memory reading: the histogram runs a full GC
            step(c, only, "sync-fanout", () -> SyncFanoutScenario.heapHistogram(c));
        }
        step(c, only, "initial-sync", () -> InitialSyncScenario.run(c));
        step(c, only, "warm-initial-sync", () -> InitialSyncScenario.runWarm(c));
        // before join-large-room, which joins the spare users these two take to the large room
        step(c, only, "incremental-sync", () -> IncrementalSyncScenario.run(c));
        step(c, only, "join-large-room", () -> JoinLargeRoomScenario.run(c));
        step(c, only, "register-login", () -> RegisterLoginScenario.run(c));
    }

    interface Step {
        void run() throws Exception;
    }

    static void step(Context c, Set<String> only, String name, Step step) {
        if (!only.contains(name)) {
            return;
        }
        System.err.println(c.db() + ": " + name);
        long t0 = System.nanoTime();
        try {
            step.run();
        } catch (Exception e) {
            System.err.println(c.db() + ": " + name + " failed: " + e);
            e.printStackTrace();
            c.add(name, "FAILED: " + e.getClass().getSimpleName(), Double.NaN, "");
        }
        System.err.printf(Locale.ROOT, "%s: %s took %.0f s%n", c.db(), name, (System.nanoTime() - t0) / 1e9);
    }

    private static void memory(Context c, String when) throws Exception {
        if (c.server().isEmpty()) {
            return;
        }
        ServerProcess server = c.server().get();
        long[] heap = server.heapBytes();
        c.add("idle-memory", "RSS " + when, server.rssBytes() / 1048576.0, "MiB", "target", 200);
        c.add("idle-memory", "heap used " + when, heap[0] / 1048576.0, "MiB");
        c.add("idle-memory", "heap committed " + when, heap[1] / 1048576.0, "MiB");
    }

    private static EmbeddedPostgres embeddedPostgres() throws Exception {
        // As the storage tests do: fsync off, so PostgreSQL is measured without the disk.
        return EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "300")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
    }

    private static ObjectNode machine(boolean quick) throws Exception {
        ObjectNode m = MatrixHttp.obj();
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        String mem = Files.readAllLines(Path.of("/proc/meminfo")).getFirst().replaceAll("[^0-9]", "");
        m.put("memory", String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(mem) / 1048576.0));
        m.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("quick", quick);
        m.put("load_average_start", loadAverage());
        m.put("started", LocalDateTime.now().toString());
        return m;
    }

    private static String loadAverage() throws Exception {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return parts[0] + " " + parts[1] + " " + parts[2];
    }
}
