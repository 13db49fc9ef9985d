package dev.myelin.storage;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where the database is and how large its pool may grow: the {@code database:} section of
 * {@code homeserver.yaml}, with the same keys Synapse uses.
 *
 * <pre>
 * database: {name: sqlite3, args: {database: data/homeserver.db}}
 * database: {name: psycopg2, args: {user: me, password: pw, database: myelin, host: localhost, port: 5432, cp_min: 5, cp_max: 10}}
 * database: {name: jdbc, args: {url: "jdbc:postgresql://localhost/myelin", user: me, password: pw}}
 * </pre>
 *
 * @param engine        which database
 * @param jdbcUrl       the JDBC URL (for SQLite {@code jdbc:sqlite:<path>})
 * @param user          PostgreSQL user, if any
 * @param password      PostgreSQL password, if any
 * @param minIdle       smallest number of pooled connections ({@code cp_min})
 * @param maxPoolSize   largest number of pooled connections ({@code cp_max}); for SQLite the reader pool size
 */
public record DatabaseConfig(
        Engine engine, String jdbcUrl, Optional<String> user, Optional<String> password, int minIdle, int maxPoolSize) {

    /** The two supported engines. */
    public enum Engine {
        /** SQLite: one file, one writer; the embedded default. */
        SQLITE,
        /** PostgreSQL: for deployments that outgrow one machine. */
        POSTGRES
    }

    /**
     * Requires every part and checks the pool sizes ({@code 0 <= minIdle <= maxPoolSize}, {@code maxPoolSize
     * >= 1}).
     */
    public DatabaseConfig {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (minIdle < 0 || maxPoolSize < 1 || minIdle > maxPoolSize) {
            throw new IllegalArgumentException(
                    "database pool sizes must satisfy 0 <= cp_min <= cp_max and cp_max >= 1, got cp_min=" + minIdle
                            + " cp_max=" + maxPoolSize);
        }
    }

    /** An SQLite database in the given file. */
    public static DatabaseConfig sqlite(Path file) {
        return new DatabaseConfig(
                Engine.SQLITE, "jdbc:sqlite:" + file.toAbsolutePath(), Optional.empty(), Optional.empty(), 1, 4);
    }

    /** A PostgreSQL database at a {@code jdbc:postgresql:} URL. */
    public static DatabaseConfig postgres(String jdbcUrl, String user, String password) {
        return new DatabaseConfig(
                Engine.POSTGRES, jdbcUrl, Optional.ofNullable(user), Optional.ofNullable(password), 1, 10);
    }

    /** A configuration from a JDBC URL alone; the engine follows from its prefix. */
    public static DatabaseConfig fromJdbcUrl(String jdbcUrl, String user, String password) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return new DatabaseConfig(Engine.SQLITE, jdbcUrl, Optional.empty(), Optional.empty(), 1, 4);
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return postgres(jdbcUrl, user, password);
        }
        throw new IllegalArgumentException(
                "database url must start with jdbc:sqlite: or jdbc:postgresql:, got " + jdbcUrl);
    }

    /** The path of the SQLite file, if this is an SQLite database stored in a file. */
    public Optional<Path> sqliteFile() {
        if (engine != Engine.SQLITE) {
            return Optional.empty();
        }
        String rest = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        return rest.isEmpty() || rest.startsWith(":memory:") ? Optional.empty() : Optional.of(Path.of(rest));
    }

    /** This configuration with other pool sizes. */
    public DatabaseConfig withPoolSize(int newMinIdle, int newMaxPoolSize) {
        return new DatabaseConfig(engine, jdbcUrl, user, password, newMinIdle, newMaxPoolSize);
    }

    /**
     * Parses the {@code database:} section of {@code homeserver.yaml} as loaded into maps. Errors name the
     * offending key, e.g. {@code database.args.port: expected a number between 1 and 65535, got "x"}.
     */
    public static DatabaseConfig parse(@Nullable Map<String, ?> section) {
        if (section == null) {
            throw new IllegalArgumentException("database: section is missing");
        }
        Object nameValue = section.get("name");
        if (nameValue == null) {
            throw new IllegalArgumentException("database.name: missing; expected sqlite3, psycopg2, postgres or jdbc");
        }
        String name = nameValue.toString();
        Map<String, Object> args = args(section.get("args"));
        return switch (name) {
            case "sqlite3", "sqlite" -> {
                String file = requireString(args, "database");
                if (file.equals(":memory:")) {
                    throw new IllegalArgumentException("database.args.database: ':memory:' is not supported; "
                            + "the reader and writer pools need a file they both open");
                }
                DatabaseConfig base = sqlite(Path.of(file));
                yield base.withPoolSize(intArg(args, "cp_min", 1, 0, 1000), intArg(args, "cp_max", 4, 1, 1000));
            }
            case "psycopg2", "postgres", "postgresql" -> {
                String host = optionalString(args, "host").orElse("localhost");
                int port = intArg(args, "port", 5432, 1, 65535);
                String database = requireString(args, "database");
                if (host.startsWith("/")) {
                    throw new IllegalArgumentException(
                            "database.args.host: UNIX socket directories are not supported, use a TCP host");
                }
                String url = "jdbc:postgresql://" + host + ":" + port + "/" + database;
                int cpMin = intArg(args, "cp_min", 5, 0, 1000);
                int cpMax = intArg(args, "cp_max", 10, 1, 1000);
                if (cpMin > cpMax) {
                    throw new IllegalArgumentException(
                            "database.args.cp_min: " + cpMin + " is larger than database.args.cp_max: " + cpMax);
                }
                yield new DatabaseConfig(
                        Engine.POSTGRES,
                        url,
                        optionalString(args, "user"),
                        optionalString(args, "password"),
                        cpMin,
                        cpMax);
            }
            case "jdbc" -> {
                String url = requireString(args, "url");
                DatabaseConfig base;
                try {
                    base = fromJdbcUrl(
                            url,
                            optionalString(args, "user").orElse(null),
                            optionalString(args, "password").orElse(null));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("database.args.url: " + e.getMessage(), e);
                }
                yield base.withPoolSize(
                        intArg(args, "cp_min", base.minIdle(), 0, 1000),
                        intArg(args, "cp_max", base.maxPoolSize(), 1, 1000));
            }
            default ->
                throw new IllegalArgumentException("database.name: unknown database engine '" + name
                        + "'; expected sqlite3, psycopg2, postgres or jdbc");
        };
    }

    private static Map<String, Object> args(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("database.args: missing");
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("database.args: expected a mapping, got " + value);
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return copy;
    }

    private static String requireString(Map<String, Object> args, String key) {
        return optionalString(args, key)
                .orElseThrow(() -> new IllegalArgumentException("database.args." + key + ": missing"));
    }

    private static Optional<String> optionalString(Map<String, Object> args, String key) {
        Object value = args.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map<?, ?> || value instanceof Iterable<?>) {
            throw new IllegalArgumentException("database.args." + key + ": expected a string, got " + value);
        }
        String s = value.toString();
        if (s.isBlank()) {
            throw new IllegalArgumentException("database.args." + key + ": must not be empty");
        }
        return Optional.of(s);
    }

    private static int intArg(Map<String, Object> args, String key, int fallback, int min, int max) {
        Object value = args.get(key);
        if (value == null) {
            return fallback;
        }
        int parsed;
        try {
            parsed = value instanceof Number n && n.doubleValue() == n.intValue()
                    ? n.intValue()
                    : Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "database.args." + key + ": expected a number between " + min + " and " + max + ", got \"" + value
                            + "\"",
                    e);
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(
                    "database.args." + key + ": expected a number between " + min + " and " + max + ", got " + parsed);
        }
        return parsed;
    }
}
