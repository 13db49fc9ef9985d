package dev.myelin.server.cli;

import dev.myelin.core.time.SystemClock;
import dev.myelin.server.config.ConfigException;
import dev.myelin.server.config.ConfigLoader;
import dev.myelin.server.config.HomeserverConfig;
import dev.myelin.server.migrate.ImportException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command-line contract of the homeserver jar. Exit codes: 0 success, 1 a runtime failure
 * (unreadable files, server unreachable, port taken), 2 wrong arguments, 3 an invalid config file.
 *
 * <p>Without arguments the jar runs {@code ./data/homeserver.yaml}, first generating it (server
 * name {@code localhost}, 127.0.0.1:8008, open registration) when it does not exist, so that a
 * fresh checkout serves a usable homeserver with one command.
 */
public final class Cli {
    /** Returned by {@link #run} when a server was started and the JVM must stay up. */
    public static final int KEEP_RUNNING = -1;

    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int BAD_CONFIG = 3;

    private static final String USAGE_TEXT = """
            usage:
              myelin.jar                 (runs data/homeserver.yaml, generating it first if missing)
              myelin.jar generate-config --server-name NAME --config-path FILE --data-dir DIR
                                         [--bind ADDR] [--port N] [--enable-registration]
              myelin.jar [run] --config FILE [--config FILE ...]
              myelin.jar register-user --config FILE [--config FILE ...] --user NAME --password PW [--admin]
              myelin.jar port-db --sqlite-database FILE --postgres-config FILE [--postgres-config FILE ...]
                                         (copies the SQLite database into the PostgreSQL one that
                                         config names; run it again to resume an interrupted port)
              myelin.jar import-synapse --synapse-config SYNAPSE_YAML --config FILE [--config FILE ...] [--dry-run]
                                         (moves a stopped Synapse 1.132 server into an empty Myelin database)
              myelin.jar test-server [--port N] [--fake-clock]
                                         (a throwaway server for bots' and bridges' tests: 127.0.0.1:N
                                         (default 8008, 0 picks one), server name localhost, open
                                         registration, no rate limits, temporary database deleted on
                                         exit; POST /_myelin/test/v1/reset empties it; --fake-clock
                                         makes time move only by POST /_myelin/test/v1/clock/advance
                                         {"ms": N} (GET /_myelin/test/v1/clock reads it). Prints
                                         "myelin test-server ready at URL" once it listens)
            --config (or -c) may be repeated: the files are read in order, and a later file's
            top-level key replaces an earlier file's (homeserver.yaml, then a worker's own file).
              myelin.jar --version
            """;

    private static final Map<String, String> CONFIG_ALIAS = Map.of("-c", "--config");

    /** The config the jar runs when started without arguments, relative to the working directory. */
    static final Path DEFAULT_CONFIG = Path.of("data", "homeserver.yaml");

    private final PrintStream out;
    private final PrintStream err;
    private final ServerLifecycle lifecycle;
    private final Path workingDirectory;
    private final HttpClient http;

    public Cli(PrintStream out, PrintStream err) {
        this(
                out,
                err,
                ServerLifecycle.shutdownHook(),
                Path.of(""),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    /**
     * @param lifecycle what to do with a started server (a shutdown hook in production)
     * @param workingDirectory where the no-argument default looks for {@code data/homeserver.yaml}
     * @param http the client {@code register-user} talks to the server with
     */
    public Cli(PrintStream out, PrintStream err, ServerLifecycle lifecycle, Path workingDirectory, HttpClient http) {
        this.out = out;
        this.err = err;
        this.lifecycle = lifecycle;
        this.workingDirectory = workingDirectory;
        this.http = http;
    }

    public int run(String... argv) {
        List<String> args = Arrays.asList(argv);
        try {
            if (args.isEmpty()) {
                return runDefault();
            }
            if (args.contains("--help") || args.contains("-h")) {
                out.print(USAGE_TEXT);
                return OK;
            }
            String first = args.get(0);
            List<String> rest = args.subList(1, args.size());
            return switch (first) {
                case "--version", "version" -> {
                    out.println("Myelin " + Version.current());
                    yield OK;
                }
                case "generate-config" -> generateConfig(rest);
                case "run" -> runServer(rest);
                case "register-user" -> registerUser(rest);
                case "port-db" -> portDb(rest);
                case "import-synapse" -> importSynapse(rest);
                case "test-server" -> testServer(rest);
                default -> first.startsWith("-") ? runServer(args) : throwUsage("unknown command '" + first + "'");
            };
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        } catch (ConfigException e) {
            err.println("invalid configuration: " + e.getMessage());
            return BAD_CONFIG;
        } catch (ImportException e) {
            err.println("import-synapse: " + e.getMessage());
            return e.exitCode();
        } catch (UncheckedIOException | ServerRunner.StartupException | RegisterUser.Failure | PortDb.Failure e) {
            err.println(e.getMessage());
            return FAILURE;
        }
    }

    private static int throwUsage(String message) {
        throw new UsageException(message);
    }

    private int generateConfig(List<String> args) {
        CommandLine line = CommandLine.parse(
                "generate-config",
                args,
                Set.of("--server-name", "--config-path", "--data-dir", "--bind", "--port"),
                Set.of("--enable-registration"));
        int port = port(line, "generate-config");
        GenerateConfig.Options options = new GenerateConfig.Options(
                line.required("--server-name"),
                Path.of(line.required("--config-path")),
                Path.of(line.required("--data-dir")),
                line.value("--bind").orElse("127.0.0.1"),
                port,
                line.has("--enable-registration"));
        new GenerateConfig(new SecureRandom()).run(options);
        out.println("wrote " + options.configPath() + " for " + options.serverName());
        return OK;
    }

    private static int port(CommandLine line, String command) {
        int port;
        try {
            port = Integer.parseInt(line.value("--port").orElse("8008"));
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --port must be a number");
        }
        if (port < 0 || port > 65535) {
            throw new UsageException(command + ": --port must be from 0 to 65535");
        }
        return port;
    }

    private int testServer(List<String> args) {
        CommandLine line = CommandLine.parse("test-server", args, Set.of("--port"), Set.of("--fake-clock"));
        int port = port(line, "test-server");
        boolean fakeClock = line.has("--fake-clock");
        TestServer server = TestServer.start(port, fakeClock);
        lifecycle.started(server.homeserver(), server::stop);
        // the one line scripts wait for
        out.println("myelin test-server ready at " + server.baseUrl() + (fakeClock ? " (fake clock)" : ""));
        out.flush();
        return KEEP_RUNNING;
    }

    private int runDefault() {
        Path config = workingDirectory.resolve(DEFAULT_CONFIG);
        if (!Files.exists(config)) {
            Path dataDir = config.getParent();
            new GenerateConfig(new SecureRandom())
                    .run(new GenerateConfig.Options("localhost", config, dataDir, "127.0.0.1", 8008, true));
            out.println("wrote " + config + " for localhost (127.0.0.1:8008, open registration); "
                    + "edit it and restart to change anything");
        }
        return serve(List.of(config));
    }

    private int runServer(List<String> args) {
        CommandLine line = CommandLine.parse("run", args, Set.of("--config"), Set.of(), CONFIG_ALIAS);
        return serve(configFiles(line));
    }

    private int serve(List<Path> configFiles) {
        HomeserverConfig config = new ConfigLoader().load(configFiles);
        ServerRunner.Started started = ServerRunner.start(config, describe(configFiles));
        lifecycle.started(started.server(), started.stop());
        return KEEP_RUNNING;
    }

    private int registerUser(List<String> args) {
        CommandLine line = CommandLine.parse(
                "register-user", args, Set.of("--config", "--user", "--password"), Set.of("--admin"), CONFIG_ALIAS);
        List<Path> configFiles = configFiles(line);
        String user = line.required("--user");
        String password = line.required("--password");
        HomeserverConfig config = new ConfigLoader().load(configFiles);
        String created =
                new RegisterUser(http).register(config, describe(configFiles), user, password, line.has("--admin"));
        out.println("created " + created + (line.has("--admin") ? " (server admin)" : ""));
        return OK;
    }

    private int portDb(List<String> args) {
        CommandLine line =
                CommandLine.parse("port-db", args, Set.of("--sqlite-database", "--postgres-config"), Set.of());
        Path sqlite = workingDirectory.resolve(line.required("--sqlite-database"));
        List<Path> configFiles =
                line.requiredValues("--postgres-config").stream().map(Path::of).toList();
        HomeserverConfig config = new ConfigLoader().load(configFiles);
        new PortDb(out, err, SystemClock.INSTANCE, System.console() != null).run(sqlite, config, describe(configFiles));
        return OK;
    }

    private int importSynapse(List<String> args) {
        CommandLine line = CommandLine.parse(
                "import-synapse", args, Set.of("--synapse-config", "--config"), Set.of("--dry-run"), CONFIG_ALIAS);
        new ImportSynapse(out, err)
                .run(Path.of(line.required("--synapse-config")), configFiles(line), line.has("--dry-run"));
        return OK;
    }

    private static List<Path> configFiles(CommandLine line) {
        return line.requiredValues("--config").stream().map(Path::of).toList();
    }

    /** The files' names for messages, in the order they were read. */
    private static String describe(List<Path> files) {
        return String.join(", ", files.stream().map(Path::toString).toList());
    }
}
