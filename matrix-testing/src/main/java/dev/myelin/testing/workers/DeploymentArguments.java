package dev.myelin.testing.workers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The command line of {@link WorkerDeployment#main}, read into a {@link WorkerDeployment.Builder}. */
final class DeploymentArguments {
    static final String USAGE = """
            usage: WorkerDeployment [--jar FILE] [--persisters N] [--sync-workers N] [--generic-workers N]
                                    [--server-name NAME] [--start-timeout-seconds N]
                                    [--database-url JDBC_URL [--database-user U] [--database-password P]]
                                    [--set KEY=JSON]...
              --jar defaults to matrix-server/target/myelin.jar; --persisters to 2, --sync-workers to 1;
              without --database-url a fresh database of TestDatabases (MYELIN_TEST_POSTGRES_URL or embedded)""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Path jar = Path.of("matrix-server", "target", "myelin.jar");
    private int persisters = 2;
    private int syncWorkers = 1;
    private int genericWorkers;
    private @Nullable String serverName;
    private @Nullable Duration startTimeout;
    private @Nullable String databaseUrl;
    private @Nullable String databaseUser;
    private @Nullable String databasePassword;
    private final Map<String, Object> shared = new LinkedHashMap<>();

    private DeploymentArguments() {}

    /**
     * Reads the flags ({@code --name value} or {@code --name=value}).
     *
     * @throws IllegalArgumentException for an unknown flag, a missing value or a bad number
     */
    static DeploymentArguments parse(String... args) {
        DeploymentArguments parsed = new DeploymentArguments();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String value;
            int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(flag + ": missing value");
            }
            switch (flag) {
                case "--jar" -> parsed.jar = Path.of(value);
                case "--persisters" -> parsed.persisters = number(flag, value);
                case "--sync-workers" -> parsed.syncWorkers = number(flag, value);
                case "--generic-workers" -> parsed.genericWorkers = number(flag, value);
                case "--server-name" -> parsed.serverName = value;
                case "--start-timeout-seconds" -> parsed.startTimeout = Duration.ofSeconds(number(flag, value));
                case "--database-url" -> parsed.databaseUrl = value;
                case "--database-user" -> parsed.databaseUser = value;
                case "--database-password" -> parsed.databasePassword = value;
                case "--set" -> {
                    int sep = value.indexOf('=');
                    if (sep <= 0) {
                        throw new IllegalArgumentException("--set: expected KEY=JSON, got " + value);
                    }
                    parsed.shared.put(value.substring(0, sep), jsonOrString(value.substring(sep + 1)));
                }
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        return parsed;
    }

    /** The builder the flags describe; takes a fresh database when no URL was given. */
    WorkerDeployment.Builder builder() {
        DatabaseConfig database = databaseUrl != null
                ? DatabaseConfig.fromJdbcUrl(databaseUrl, databaseUser, databasePassword)
                : TestDatabases.freshConfig(TestDatabases.Kind.POSTGRES);
        WorkerDeployment.Builder builder = WorkerDeployment.builder(jar, database)
                .eventPersisters(persisters)
                .syncWorkers(syncWorkers);
        for (int n = 1; n <= genericWorkers; n++) {
            builder.worker("worker" + n, WorkerRole.GENERIC);
        }
        if (serverName != null) {
            builder.serverName(serverName);
        }
        if (startTimeout != null) {
            builder.startTimeout(startTimeout);
        }
        shared.forEach(builder::sharedConfig);
        return builder;
    }

    /** The {@code --set} keys, in order. */
    Map<String, Object> shared() {
        return Map.copyOf(shared);
    }

    /** The persister, sync worker and generic worker counts. */
    java.util.List<Integer> counts() {
        return java.util.List.of(persisters, syncWorkers, genericWorkers);
    }

    private static int number(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": expected a number, got " + value);
        }
    }

    private static Object jsonOrString(String value) {
        try {
            Object parsed = JSON.readValue(value, Object.class);
            return parsed == null ? value : parsed;
        } catch (JsonProcessingException notJson) {
            return value;
        }
    }
}
