package dev.myelin.storage.port;

import dev.myelin.storage.Database;
import dev.myelin.storage.StorageException;
import dev.myelin.storage.search.EventSearchStore;
import dev.myelin.storage.stream.Stream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Copies a Myelin database from SQLite to PostgreSQL, table by table, as Synapse's {@code
 * synapse_port_db} does for Synapse. Both databases are opened (and so migrated) by the same build,
 * so their schemas are the same; the target must be empty, or hold an interrupted port of this source.
 *
 * <p>Each table is read in rowid order, in chunks; every chunk is written in one PostgreSQL
 * transaction together with the table's progress in {@code port_db_progress}, so a port that stops
 * (a crash, Ctrl-C) resumes where its last committed chunk ended. At the end the sequences that
 * allocate stream positions and state group ids are moved past what was copied, and every table's row
 * count is compared with its source.
 */
public final class SqliteToPostgres {
    /** Rows per chunk, each chunk one target transaction. */
    public static final int DEFAULT_CHUNK = 5_000;

    private static final String PROGRESS = "port_db_progress";

    private final Database source;
    private final Database target;
    private final PortListener listener;
    private final int chunk;

    /**
     * @param source an SQLite database (opened with {@link Database#open}, so migrated)
     * @param target a PostgreSQL database, opened the same way
     */
    public SqliteToPostgres(Database source, Database target, PortListener listener, int chunk) {
        if (!source.isSqlite()) {
            throw new IllegalArgumentException("the source of a port must be an SQLite database");
        }
        if (target.isSqlite()) {
            throw new IllegalArgumentException("the target of a port must be a PostgreSQL database");
        }
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be at least 1");
        }
        this.source = source;
        this.target = target;
        this.listener = listener;
        this.chunk = chunk;
    }

    /** One table's outcome: rows in the source and in the target after the port. */
    public record TableCount(String table, long sourceRows, long targetRows) {
        /** Whether the target holds as many rows as the source. */
        public boolean matches() {
            return sourceRows == targetRows;
        }
    }

    /** The port's outcome, table by table, and how many tables an earlier run had already finished. */
    public record Result(List<TableCount> tables, int resumedTables) {
        /** The rows copied in all. */
        public long rows() {
            return tables.stream().mapToLong(TableCount::targetRows).sum();
        }

        /** The tables whose counts differ; empty when the port is verified. */
        public List<TableCount> mismatches() {
            return tables.stream().filter(t -> !t.matches()).toList();
        }
    }

    /** A table's copy state as recorded in the target. */
    private record Progress(long lastRowid, long copied, boolean done) {}

    /** A column: its name and the target's data type. */
    private record Column(String name, String targetType) {}

    /**
     * Ports every table.
     *
     * @throws StorageException when the target holds data that is not an interrupted port, or the
     *     schemas differ
     */
    public Result run() {
        List<String> tables = sourceTables();
        Map<String, Progress> progress = startOrResume(tables);
        List<TableCount> counts = new ArrayList<>();
        int resumed = 0;
        for (String table : tables) {
            Progress p = progress.getOrDefault(table, new Progress(0, 0, false));
            long total = countSource(table);
            if (p.done()) {
                resumed++;
                listener.tableFinished(table, total, true);
            } else {
                copyTable(table, p, total);
            }
            counts.add(new TableCount(table, total, countTarget(table)));
        }
        advanceSequences();
        // the full-text index differs between the dialects: it is built again from the events
        new EventSearchStore(target).rebuild();
        return new Result(List.copyOf(counts), resumed);
    }

    private List<String> sourceTables() {
        return source.read(tx -> tx.dsl()
                .fetch("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                        + " AND name <> 'schema_version' AND name NOT LIKE 'event_search%' ORDER BY name")
                .getValues(0, String.class));
    }

    private Map<String, Progress> startOrResume(List<String> tables) {
        return target.write(tx -> {
            boolean known = tx.dsl()
                    .fetchOne("SELECT to_regclass(?) IS NOT NULL", PROGRESS)
                    .get(0, Boolean.class);
            Map<String, Progress> progress = new LinkedHashMap<>();
            if (known) {
                for (var row : tx.dsl().fetch("SELECT table_name, last_rowid, copied, done FROM " + PROGRESS)) {
                    progress.put(
                            row.get(0, String.class),
                            new Progress(row.get(1, Long.class), row.get(2, Long.class), row.get(3, Boolean.class)));
                }
                return progress;
            }
            for (String table : tables) {
                requireTargetTable(tx.dsl(), table);
                if (tx.dsl().fetchExists(tx.dsl().selectOne().from("\"" + table + "\""))) {
                    throw new StorageException("the PostgreSQL database already holds data (table " + table
                            + "): port into a new, empty database (the homeserver must not have run on it)");
                }
            }
            tx.dsl()
                    .execute("CREATE TABLE " + PROGRESS + " (table_name VARCHAR NOT NULL PRIMARY KEY,"
                            + " last_rowid BIGINT NOT NULL, copied BIGINT NOT NULL, done BOOLEAN NOT NULL)");
            return progress;
        });
    }

    private static void requireTargetTable(org.jooq.DSLContext dsl, String table) {
        Boolean exists = dsl.fetchOne("SELECT to_regclass(?) IS NOT NULL", "\"" + table + "\"")
                .get(0, Boolean.class);
        if (!Boolean.TRUE.equals(exists)) {
            throw new StorageException("the PostgreSQL database has no table " + table
                    + ": both databases must be at the same schema version (open them with the same build)");
        }
    }

    private void copyTable(String table, Progress from, long total) {
        List<Column> columns = columns(table);
        listener.tableStarted(table, from.copied(), total);
        String select = "SELECT rowid, " + quotedList(columns) + " FROM \"" + table
                + "\" WHERE rowid > ? ORDER BY rowid LIMIT " + chunk;
        String insert = "INSERT INTO \"" + table + "\" (" + quotedList(columns) + ") VALUES ("
                + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
        long lastRowid = from.lastRowid();
        long copied = from.copied();
        while (true) {
            Chunk rows = readChunk(select, lastRowid, columns.size());
            if (rows.values().isEmpty()) {
                break;
            }
            long chunkEnd = rows.lastRowid();
            long newCopied = copied + rows.values().size();
            target.update(tx -> tx.dsl().connection(c -> {
                writeChunk(c, insert, columns, rows.values());
                saveProgress(c, table, chunkEnd, newCopied, false);
            }));
            lastRowid = chunkEnd;
            copied = newCopied;
            listener.rowsCopied(table, copied, Math.max(total, copied));
        }
        long done = copied;
        long end = lastRowid;
        target.update(tx -> tx.dsl().connection(c -> saveProgress(c, table, end, done, true)));
        listener.tableFinished(table, done, false);
    }

    private record Chunk(List<Object[]> values, long lastRowid) {}

    private Chunk readChunk(String select, long afterRowid, int width) {
        return source.read(tx -> tx.dsl().connectionResult(c -> {
            List<Object[]> values = new ArrayList<>();
            long last = afterRowid;
            try (PreparedStatement s = c.prepareStatement(select)) {
                s.setLong(1, afterRowid);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        last = rs.getLong(1);
                        Object[] row = new Object[width];
                        for (int i = 0; i < width; i++) {
                            row[i] = rs.getObject(i + 2);
                        }
                        values.add(row);
                    }
                }
            }
            return new Chunk(values, last);
        }));
    }

    private static void writeChunk(Connection c, String insert, List<Column> columns, List<Object[]> rows)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(insert)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    bind(s, i + 1, columns.get(i), row[i]);
                }
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Binds an SQLite value (Integer, Long, Double, String or byte[]) as the target column's type. */
    private static void bind(PreparedStatement s, int index, Column column, Object value) throws SQLException {
        String type = column.targetType();
        if (value == null) {
            s.setNull(index, sqlType(type));
            return;
        }
        switch (type) {
            case "boolean" ->
                s.setBoolean(
                        index,
                        value instanceof Number n
                                ? n.longValue() != 0
                                : Boolean.parseBoolean(value.toString()) || "1".equals(value.toString()));
            case "bigint", "integer", "smallint" -> s.setLong(index, asLong(value, column));
            case "double precision", "real", "numeric" ->
                s.setDouble(index, value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString()));
            case "bytea" ->
                s.setBytes(
                        index, value instanceof byte[] b ? b : value.toString().getBytes(StandardCharsets.UTF_8));
            default ->
                s.setString(
                        index, value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : value.toString());
        }
    }

    private static long asLong(Object value, Column column) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(value.toString());
        } catch (NumberFormatException e) {
            throw new StorageException("column " + column.name() + " holds " + value + ", not a number");
        }
    }

    private static int sqlType(String type) {
        return switch (type) {
            case "boolean" -> Types.BOOLEAN;
            case "bigint", "integer", "smallint" -> Types.BIGINT;
            case "double precision", "real", "numeric" -> Types.DOUBLE;
            case "bytea" -> Types.BINARY;
            default -> Types.VARCHAR;
        };
    }

    private static void saveProgress(Connection c, String table, long lastRowid, long copied, boolean done)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + PROGRESS
                + " (table_name, last_rowid, copied, done) VALUES (?, ?, ?, ?) ON CONFLICT (table_name)"
                + " DO UPDATE SET last_rowid = EXCLUDED.last_rowid, copied = EXCLUDED.copied, done = EXCLUDED.done")) {
            s.setString(1, table);
            s.setLong(2, lastRowid);
            s.setLong(3, copied);
            s.setBoolean(4, done);
            s.executeUpdate();
        }
    }

    /** The source table's columns, with the target's type of each; the two must name the same columns. */
    private List<Column> columns(String table) {
        List<String> sourceColumns = source.read(tx -> tx.dsl()
                .fetch("SELECT name FROM pragma_table_info(?) ORDER BY cid", table)
                .getValues(0, String.class));
        Map<String, String> targetTypes = new LinkedHashMap<>();
        target.read(tx -> {
            for (var row : tx.dsl()
                    .fetch(
                            "SELECT column_name, data_type FROM information_schema.columns"
                                    + " WHERE table_schema = current_schema() AND table_name = ?",
                            table)) {
                targetTypes.put(row.get(0, String.class), row.get(1, String.class));
            }
            return null;
        });
        List<Column> columns = new ArrayList<>();
        for (String name : sourceColumns) {
            String type = Optional.ofNullable(targetTypes.remove(name))
                    .orElseThrow(() -> new StorageException("the PostgreSQL table " + table + " has no column " + name
                            + ": both databases must be at the same schema version"));
            columns.add(new Column(name, type));
        }
        if (!targetTypes.isEmpty()) {
            throw new StorageException("the PostgreSQL table " + table + " has columns the SQLite one lacks: "
                    + targetTypes.keySet() + "; both databases must be at the same schema version");
        }
        return columns;
    }

    private static String quotedList(List<Column> columns) {
        return String.join(
                ", ", columns.stream().map(c -> "\"" + c.name() + "\"").toList());
    }

    private long countSource(String table) {
        return source.read(tx ->
                tx.dsl().fetchOne("SELECT count(*) FROM \"" + table + "\"").get(0, Long.class));
    }

    private long countTarget(String table) {
        return target.read(tx ->
                tx.dsl().fetchOne("SELECT count(*) FROM \"" + table + "\"").get(0, Long.class));
    }

    /**
     * Moves each sequence past the highest value the copied data holds, so that new stream positions
     * and state groups never reuse one.
     */
    private void advanceSequences() {
        target.update(tx -> {
            var dsl = tx.dsl();
            for (Stream stream : Stream.values()) {
                long position = Optional.ofNullable(dsl.fetchOne(
                                "SELECT position FROM stream_positions WHERE stream_name = ?", stream.storedName()))
                        .map(r -> r.get(0, Long.class))
                        .orElse(0L);
                if (stream == Stream.EVENTS) {
                    position = Math.max(position, longOf(dsl, "SELECT max(stream_ordering) FROM events"));
                } else if (stream == Stream.BACKFILL) {
                    position = Math.max(position, -longOf(dsl, "SELECT min(stream_ordering) FROM events"));
                }
                setSequence(dsl, stream.sequenceName(), position);
            }
            setSequence(dsl, "state_group_id_seq", longOf(dsl, "SELECT max(id) FROM state_groups"));
        });
    }

    private static long longOf(org.jooq.DSLContext dsl, String sql) {
        Long value = dsl.fetchOne(sql).get(0, Long.class);
        return value == null ? 0 : value;
    }

    private static void setSequence(org.jooq.DSLContext dsl, String sequence, long atLeast) {
        if (atLeast >= 1) {
            // never backwards: a resumed port may find a sequence already moved
            dsl.execute(
                    "SELECT setval('" + sequence + "', greatest(?, (SELECT last_value FROM " + sequence + ")))",
                    atLeast);
        }
    }
}
