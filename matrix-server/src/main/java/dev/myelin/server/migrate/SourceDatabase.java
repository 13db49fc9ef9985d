package dev.myelin.server.migrate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Synapse's database, opened read-only over JDBC: SQLite ({@code sqlite3}) or PostgreSQL
 * ({@code psycopg2}); the queries are plain SQL both understand.
 */
public final class SourceDatabase implements AutoCloseable {
    /** The one Synapse schema this import knows (Synapse 1.132). */
    public static final int KNOWN_SCHEMA_VERSION = 92;

    /** One row of a query. */
    @FunctionalInterface
    public interface RowHandler {
        void row(ResultSet row) throws Exception;
    }

    private final Connection connection;
    private final boolean sqlite;

    private SourceDatabase(Connection connection, boolean sqlite) {
        this.connection = connection;
        this.sqlite = sqlite;
    }

    /** Opens the database Synapse's {@code database} section names. */
    public static SourceDatabase open(Map<String, Object> section) {
        Object name = section.get("name");
        Map<?, ?> args = section.get("args") instanceof Map<?, ?> a ? a : Map.of();
        try {
            if ("sqlite3".equals(name) || "sqlite".equals(name)) {
                Path file = Path.of(String.valueOf(args.get("database")));
                if (!Files.isRegularFile(file)) {
                    throw new ImportException("the Synapse database " + file + " does not exist", 1);
                }
                Properties props = new Properties();
                props.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY: the import never writes to Synapse
                return new SourceDatabase(DriverManager.getConnection("jdbc:sqlite:" + file, props), true);
            }
            if ("psycopg2".equals(name)) {
                String host = args.get("host") == null ? "localhost" : String.valueOf(args.get("host"));
                String port = args.get("port") == null ? "5432" : String.valueOf(args.get("port"));
                String db = String.valueOf(args.get(args.containsKey("database") ? "database" : "dbname"));
                Properties props = new Properties();
                if (args.get("user") != null) {
                    props.setProperty("user", String.valueOf(args.get("user")));
                }
                if (args.get("password") != null) {
                    props.setProperty("password", String.valueOf(args.get("password")));
                }
                Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + db, props);
                c.setReadOnly(true);
                c.setAutoCommit(false); // lets the driver stream rows with a fetch size
                return new SourceDatabase(c, false);
            }
        } catch (SQLException e) {
            throw new ImportException("cannot open the Synapse database: " + e.getMessage(), 1);
        }
        throw new ImportException(
                "the Synapse database engine '" + name + "' is not supported " + "(sqlite3 and psycopg2 are)", 3);
    }

    /** The schema version Synapse recorded, refusing any other than {@link #KNOWN_SCHEMA_VERSION}. */
    public int checkSchemaVersion() {
        int[] version = {-1};
        try {
            query("SELECT version FROM schema_version", r -> version[0] = r.getInt(1));
        } catch (ImportException e) {
            throw new ImportException("this is not a Synapse database (no schema_version table)", 3);
        }
        if (version[0] != KNOWN_SCHEMA_VERSION) {
            throw new ImportException(
                    "the Synapse database has schema version " + version[0] + "; this import "
                            + "knows version " + KNOWN_SCHEMA_VERSION + " (Synapse 1.132) only. Upgrade or downgrade "
                            + "Synapse to 1.132, start and stop it once, then import",
                    3);
        }
        return version[0];
    }

    /** Whether the database is SQLite. */
    public boolean isSqlite() {
        return sqlite;
    }

    /** Runs {@code sql} with {@code params}, handing each row to {@code handler}. */
    public void query(String sql, RowHandler handler, Object... params) {
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setFetchSize(1000);
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    handler.row(rs);
                }
            }
        } catch (ImportException e) {
            throw e;
        } catch (Exception e) {
            throw new ImportException("reading Synapse's database failed (" + sql + "): " + e, 1);
        }
    }

    /** The number of rows of {@code table}, 0 when Synapse has no such table. */
    public long count(String table) {
        long[] n = {0};
        query("SELECT COUNT(*) FROM " + table, r -> n[0] = r.getLong(1));
        return n[0];
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // read-only: nothing can be lost by a failed close
        }
    }
}
