package dev.myelin.storage.port;

/** Hears how a {@link SqliteToPostgres} port advances, to show progress. */
public interface PortListener {
    /**
     * A table's copy starts (or resumes).
     *
     * @param table the table
     * @param alreadyCopied rows an earlier, interrupted run copied
     * @param total the rows the source table holds
     */
    void tableStarted(String table, long alreadyCopied, long total);

    /** {@code copied} of the table's {@code total} rows are now in the target, committed. */
    void rowsCopied(String table, long copied, long total);

    /** The table is complete in the target; {@code resumed} when an earlier run had finished it. */
    void tableFinished(String table, long total, boolean resumed);

    /** A listener that shows nothing. */
    PortListener SILENT = new PortListener() {
        @Override
        public void tableStarted(String table, long alreadyCopied, long total) {}

        @Override
        public void rowsCopied(String table, long copied, long total) {}

        @Override
        public void tableFinished(String table, long total, boolean resumed) {}
    };
}
