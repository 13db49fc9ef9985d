package dev.myelin.server.migrate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Moves Myelin's stream positions past everything imported, so the first event, receipt or account data
 * change after the import gets a higher position than any imported one and /sync tokens keep ordering:
 * {@code stream_positions} rows (what SQLite counts from) and, on PostgreSQL, the sequences as well. State
 * group ids continue from the highest imported one by themselves on SQLite.
 */
final class StreamPositions {
    private final ImportContext ctx;

    StreamPositions(ImportContext ctx) {
        this.ctx = ctx;
    }

    void run(long accountData, long receipts, long toDevice) {
        long[] events = {0, 0};
        ctx.source().query("SELECT MAX(stream_ordering), MIN(stream_ordering) FROM events", r -> {
            events[0] = Math.max(0, r.getLong(1));
            events[1] = Math.min(0, r.getLong(2));
        });
        long[] groups = {0};
        ctx.source().query("SELECT MAX(id) FROM state_groups", r -> groups[0] = r.getLong(1));
        Map<String, Long> positions = new LinkedHashMap<>();
        positions.put("events", events[0]);
        // backfilled events have negative stream orderings: the backfill stream counts them as positive
        positions.put("backfill", -events[1]);
        positions.put("account_data", accountData);
        positions.put("receipts", receipts);
        positions.put("to_device", toDevice);
        Target t = ctx.target();
        t.begin("stream_positions", ctx.source().count("stream_positions"));
        positions.forEach((stream, position) -> {
            if (position > 0) {
                t.insert("stream_positions", "stream_name, position", stream, position);
            }
        });
        t.flush();
        if (t.postgres()) {
            Map<String, Long> sequences = Map.of(
                    "events_stream_seq",
                    events[0],
                    "backfill_stream_seq",
                    -events[1],
                    "account_data_stream_seq",
                    accountData,
                    "receipts_stream_seq",
                    receipts,
                    "state_group_id_seq",
                    groups[0]);
            sequences.forEach((sequence, position) -> {
                if (position > 0) {
                    t.execute("SELECT setval('" + sequence + "', " + position + ")");
                }
            });
        }
        t.end();
    }
}
