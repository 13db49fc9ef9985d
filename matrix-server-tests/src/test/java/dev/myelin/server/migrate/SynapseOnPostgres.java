package dev.myelin.server.migrate;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Copies a Synapse SQLite database into an empty PostgreSQL database with the column types Synapse uses
 * there (booleans, bigints, bytea), so the import can be tested reading Synapse on PostgreSQL. Synapse's
 * SQLite full-text tables are left out: they do not exist on PostgreSQL.
 */
final class SynapseOnPostgres {
    private SynapseOnPostgres() {}

    private record Column(String name, String type) {}

    static void copy(Path sqliteFile, String postgresUrl) throws SQLException {
        try (Connection from = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile);
                Connection to = DriverManager.getConnection(postgresUrl)) {
            List<String> tables = new ArrayList<>();
            try (ResultSet r = from.createStatement()
                    .executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL%'"
                            + " AND name NOT LIKE 'event_search%' AND name NOT LIKE 'user_directory_search%'"
                            + " AND name NOT LIKE 'sqlite_%'")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            to.setAutoCommit(false);
            for (String table : tables) {
                List<Column> columns = new ArrayList<>();
                try (ResultSet r = from.createStatement().executeQuery("PRAGMA table_info(\"" + table + "\")")) {
                    while (r.next()) {
                        columns.add(new Column(r.getString("name"), postgresType(r.getString("type"))));
                    }
                }
                StringBuilder create = new StringBuilder("CREATE TABLE \"" + table + "\" (");
                for (int i = 0; i < columns.size(); i++) {
                    create.append(i == 0 ? "" : ", ")
                            .append('"')
                            .append(columns.get(i).name())
                            .append("\" ")
                            .append(columns.get(i).type());
                }
                try (Statement st = to.createStatement()) {
                    st.execute(create.append(')').toString());
                }
                String insert = "INSERT INTO \"" + table + "\" VALUES (" + "?,".repeat(columns.size() - 1) + "?)";
                try (ResultSet r = from.createStatement().executeQuery("SELECT * FROM \"" + table + "\"");
                        PreparedStatement st = to.prepareStatement(insert)) {
                    while (r.next()) {
                        for (int i = 0; i < columns.size(); i++) {
                            Object value = r.getObject(i + 1);
                            Object converted = value == null
                                    ? null
                                    : switch (columns.get(i).type()) {
                                        case "BOOLEAN" -> ((Number) value).intValue() != 0;
                                        case "BIGINT" -> ((Number) value).longValue();
                                        case "BYTEA" -> r.getBytes(i + 1);
                                        default -> r.getString(i + 1);
                                    };
                            st.setObject(i + 1, converted);
                        }
                        st.addBatch();
                    }
                    st.executeBatch();
                }
            }
            to.commit();
        }
    }

    private static String postgresType(String sqliteType) {
        String t = sqliteType == null ? "" : sqliteType.toUpperCase(Locale.ROOT);
        if (t.contains("BOOL")) {
            return "BOOLEAN";
        }
        if (t.contains("BYTEA") || t.contains("BLOB")) {
            return "BYTEA";
        }
        if (t.contains("INT")) {
            return "BIGINT";
        }
        return "TEXT";
    }
}
