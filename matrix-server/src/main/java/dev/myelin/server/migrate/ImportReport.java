package dev.myelin.server.migrate;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Per Synapse table: rows read, rows carried over, and rows that could not be, by reason. */
public final class ImportReport {
    /** The counts of one Synapse table. */
    public static final class TableCounts {
        long read;
        long imported;
        final Map<String, Long> skipped = new TreeMap<>();

        public long read() {
            return read;
        }

        public long imported() {
            return imported;
        }

        public Map<String, Long> skipped() {
            return skipped;
        }
    }

    private final Map<String, TableCounts> tables = new LinkedHashMap<>();
    private long rowsWritten;

    TableCounts table(String name) {
        return tables.computeIfAbsent(name, n -> new TableCounts());
    }

    void written(long rows) {
        rowsWritten += rows;
    }

    /** The tables in the order they were imported. */
    public Map<String, TableCounts> tables() {
        return tables;
    }

    /** Rows written (or, in a dry run, that would be written) to Myelin's tables. */
    public long rowsWritten() {
        return rowsWritten;
    }

    /** Rows read from Synapse's tables. */
    public long rowsRead() {
        return tables.values().stream().mapToLong(t -> t.read).sum();
    }

    void print(PrintStream out, boolean dryRun) {
        out.printf("%-40s %10s %10s  %s%n", "Synapse table", "read", dryRun ? "would go" : "imported", "not imported");
        tables.forEach((name, t) -> {
            StringBuilder skipped = new StringBuilder();
            t.skipped.forEach((reason, n) -> skipped.append(skipped.isEmpty() ? "" : "; ")
                    .append(n)
                    .append(' ')
                    .append(reason));
            out.printf("%-40s %10d %10d  %s%n", name, t.read, t.imported, skipped);
        });
    }
}
