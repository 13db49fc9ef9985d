package dev.myelin.server.cli;

import dev.myelin.server.config.ConfigException;
import dev.myelin.server.config.ConfigLoader;
import dev.myelin.server.config.HomeserverConfig;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The command-line contract of the homeserver jar. Exit codes: 0 success, 1 a runtime failure
 * (unreadable files, server unreachable), 2 wrong arguments, 3 an invalid config file.
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
              myelin.jar generate-config --server-name NAME --config-path FILE --data-dir DIR
                                         [--bind ADDR] [--port N] [--enable-registration]
              myelin.jar [run] --config FILE
              myelin.jar register-user --config FILE --user NAME --password PW [--admin]
              myelin.jar --version
            """;

    private final PrintStream out;
    private final PrintStream err;

    public Cli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(String... argv) {
        List<String> args = Arrays.asList(argv);
        try {
            if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
                out.print(USAGE_TEXT);
                return args.isEmpty() ? USAGE : OK;
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
                default -> first.startsWith("--") ? runServer(args)
                        : throwUsage("unknown command '" + first + "'");
            };
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        } catch (ConfigException e) {
            err.println("invalid configuration: " + e.getMessage());
            return BAD_CONFIG;
        } catch (UncheckedIOException e) {
            err.println(e.getMessage());
            return FAILURE;
        }
    }

    private static int throwUsage(String message) {
        throw new UsageException(message);
    }

    private int generateConfig(List<String> args) {
        CommandLine line = CommandLine.parse("generate-config", args,
                Set.of("--server-name", "--config-path", "--data-dir", "--bind", "--port"),
                Set.of("--enable-registration"));
        int port;
        try {
            port = Integer.parseInt(line.value("--port").orElse("8008"));
        } catch (NumberFormatException e) {
            throw new UsageException("generate-config: --port must be a number");
        }
        if (port < 0 || port > 65535) {
            throw new UsageException("generate-config: --port must be from 0 to 65535");
        }
        GenerateConfig.Options options = new GenerateConfig.Options(
                line.required("--server-name"), Path.of(line.required("--config-path")),
                Path.of(line.required("--data-dir")), line.value("--bind").orElse("127.0.0.1"), port,
                line.has("--enable-registration"));
        new GenerateConfig(new SecureRandom()).run(options);
        out.println("wrote " + options.configPath() + " for " + options.serverName());
        return OK;
    }

    private int runServer(List<String> args) {
        CommandLine line = CommandLine.parse("run", args, Set.of("--config"), Set.of());
        HomeserverConfig config = new ConfigLoader().load(Path.of(line.required("--config")));
        err.println("configuration " + line.required("--config") + " is valid for " + config.serverName()
                + "; serving it needs a newer release of Myelin");
        return FAILURE;
    }

    private int registerUser(List<String> args) {
        CommandLine line = CommandLine.parse("register-user", args,
                Set.of("--config", "--user", "--password"), Set.of("--admin"));
        new ConfigLoader().load(Path.of(line.required("--config")));
        line.required("--user");
        line.required("--password");
        err.println("register-user needs a running homeserver, which a newer release of Myelin provides");
        return FAILURE;
    }
}
