package dev.myelin.server.migrate;

import dev.myelin.storage.Database;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where the importers put rows: Myelin's tables, by plain batched inserts, one transaction per chunk of
 * {@link #CHUNK} rows; in a dry run ({@code db} null) rows are only counted. Also counts what each
 * Synapse table gave ({@link ImportReport}) and drives the {@link Progress} display.
 */
final class Target {
    static final int CHUNK = 2000;

    private final @Nullable Database db;
    private final ImportReport report;
    private final Progress progress;
    private final Map<String, List<Object[]>> pending = new LinkedHashMap<>();
    private int pendingRows;
    private ImportReport.@Nullable TableCounts current;

    Target(@Nullable Database db, ImportReport report, Progress progress) {
        this.db = db;
        this.report = report;
        this.progress = progress;
    }

    /** Whether Myelin's database is PostgreSQL, whose sequences must be moved past what was imported. */
    boolean postgres() {
        return db != null && !db.isSqlite();
    }

    boolean dryRun() {
        return db == null;
    }

    /** Starts reading Synapse's {@code sourceTable}, which holds {@code expected} rows. */
    void begin(String sourceTable, long expected) {
        current = report.table(sourceTable);
        progress.begin(sourceTable, expected);
    }

    /** One row of the current Synapse table was read. */
    void read() {
        counts().read++;
        counts().imported++;
        progress.row();
    }

    /** The row just read is not carried over, for {@code reason}. */
    void skip(String reason) {
        ImportReport.TableCounts c = counts();
        c.imported--;
        c.skipped.merge(reason, 1L, Long::sum);
    }

    /** Finishes the current Synapse table: writes what is pending. */
    void end() {
        flush();
        progress.end();
        current = null;
    }

    /** Adds a row to Myelin's {@code table}; {@code columns} is a comma-separated list matching {@code values}. */
    void insert(String table, String columns, Object... values) {
        String sql = "INSERT INTO " + table + " (" + columns + ") VALUES (" + "?,".repeat(values.length - 1) + "?)";
        pending.computeIfAbsent(sql, s -> new ArrayList<>()).add(values);
        report.written(1);
        if (++pendingRows >= CHUNK) {
            flush();
        }
    }

    /** Runs one statement on Myelin's database (nothing in a dry run). */
    void execute(String sql, Object... params) {
        flush();
        if (db != null) {
            db.update(tx -> tx.dsl().execute(sql, params));
        }
    }

    void flush() {
        if (pendingRows == 0) {
            return;
        }
        if (db != null) {
            db.update(tx -> tx.dsl().connection(c -> {
                for (var entry : pending.entrySet()) {
                    try (PreparedStatement st = c.prepareStatement(entry.getKey())) {
                        for (Object[] row : entry.getValue()) {
                            for (int i = 0; i < row.length; i++) {
                                st.setObject(i + 1, row[i]);
                            }
                            st.addBatch();
                        }
                        st.executeBatch();
                    }
                }
            }));
        }
        pending.clear();
        pendingRows = 0;
    }

    private ImportReport.TableCounts counts() {
        if (current == null) {
            throw new IllegalStateException("read outside a table");
        }
        return current;
    }
}
