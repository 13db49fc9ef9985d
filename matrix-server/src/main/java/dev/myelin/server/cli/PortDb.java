package dev.myelin.server.cli;

import dev.myelin.core.time.Clock;
import dev.myelin.server.config.ConfigException;
import dev.myelin.server.config.HomeserverConfig;
import dev.myelin.storage.Database;
import dev.myelin.storage.DatabaseConfig;
import dev.myelin.storage.StorageException;
import dev.myelin.storage.port.PortListener;
import dev.myelin.storage.port.SqliteToPostgres;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code port-db}: moves the homeserver's own SQLite database to PostgreSQL, the counterpart of
 * Synapse's {@code synapse_port_db --sqlite-database FILE --postgres-config FILE}. The PostgreSQL
 * database is the one the given config names; the homeserver must be stopped meanwhile. An
 * interrupted port resumes when run again with the same arguments.
 */
final class PortDb {
    /** The port could not run or did not verify; exit code 1. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private final boolean terminal;

    PortDb(PrintStream out, PrintStream err, Clock clock, boolean terminal) {
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.terminal = terminal;
    }

    /**
     * @param sqliteFile the SQLite database file ({@code data/homeserver.db})
     * @param postgresConfig the homeserver config whose {@code database} section names the PostgreSQL target
     * @param configFiles the config's file names, for messages
     */
    void run(Path sqliteFile, HomeserverConfig postgresConfig, String configFiles) {
        if (!Files.isRegularFile(sqliteFile)) {
            throw new Failure("port-db: no SQLite database at " + sqliteFile);
        }
        DatabaseConfig targetConfig;
        try {
            targetConfig = DatabaseConfig.parse(postgresConfig.database());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(configFiles + ": " + e.getMessage());
        }
        if (targetConfig.engine() != DatabaseConfig.Engine.POSTGRES) {
            throw new ConfigException(configFiles + ": the database section names "
                    + ServerRunner.describe(targetConfig) + "; port-db needs a PostgreSQL database (name: psycopg2)");
        }
        Instant start = clock.now();
        TableProgress progress = new TableProgress(err, clock, terminal);
        SqliteToPostgres.Result result;
        try (Database source = open(DatabaseConfig.sqlite(sqliteFile));
                Database target = open(targetConfig)) {
            out.println(
                    "porting " + ServerRunner.describe(source.config()) + " to " + ServerRunner.describe(targetConfig));
            result = new SqliteToPostgres(source, target, listener(progress), SqliteToPostgres.DEFAULT_CHUNK).run();
        } catch (StorageException e) {
            throw new Failure("port-db: " + e.getMessage());
        }
        long millis = Math.max(1, Duration.between(start, clock.now()).toMillis());
        if (!result.mismatches().isEmpty()) {
            result.mismatches()
                    .forEach(t -> err.println("port-db: " + t.table() + " has " + t.sourceRows()
                            + " rows in SQLite but " + t.targetRows() + " in PostgreSQL"));
            throw new Failure("port-db: the row counts differ; the PostgreSQL database is not a complete copy");
        }
        out.printf(
                "ported %,d rows in %d tables in %.1f s (%,d rows/s)%s; row counts verified%n",
                result.rows(),
                result.tables().size(),
                millis / 1000.0,
                result.rows() * 1000 / millis,
                result.resumedTables() > 0 ? ", " + result.resumedTables() + " tables from an earlier run" : "");
        out.println(
                "now point the homeserver at PostgreSQL (the database section of " + configFiles + ") and start it");
    }

    private static Database open(DatabaseConfig config) {
        try {
            return Database.open(config);
        } catch (RuntimeException e) {
            throw new Failure("port-db: cannot open " + ServerRunner.describe(config) + ": " + e.getMessage());
        }
    }

    private static PortListener listener(TableProgress progress) {
        return new PortListener() {
            @Override
            public void tableStarted(String table, long alreadyCopied, long total) {
                progress.start(table, alreadyCopied, total);
            }

            @Override
            public void rowsCopied(String table, long copied, long total) {
                progress.advance(table, copied, total);
            }

            @Override
            public void tableFinished(String table, long total, boolean resumed) {
                if (resumed) {
                    progress.start(table, total, total);
                }
                progress.finish(table, total, resumed ? "(copied by an earlier run)" : "");
            }
        };
    }
}
