package dev.myelin.server.migrate;

import dev.myelin.core.time.Clock;
import java.io.PrintStream;

/**
 * The progress display on stderr: on a terminal one line per table rewritten in place (rows, rows/s,
 * ETA from the source's row count); otherwise one line per table once it is done.
 */
final class Progress {
    private static final long REDRAW_NANOS = 250_000_000L;

    private final PrintStream err;
    private final Clock clock;
    private final boolean terminal;
    private String table = "";
    private long expected;
    private long rows;
    private long startNanos;
    private long lastDraw;

    Progress(PrintStream err, Clock clock, boolean terminal) {
        this.err = err;
        this.clock = clock;
        this.terminal = terminal;
    }

    void begin(String table, long expected) {
        this.table = table;
        this.expected = expected;
        this.rows = 0;
        this.startNanos = clock.monotonicNanos();
        this.lastDraw = startNanos;
    }

    void row() {
        rows++;
        if (terminal && (rows & 0xff) == 0) {
            long now = clock.monotonicNanos();
            if (now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                err.print("\r" + line(now) + "   ");
                err.flush();
            }
        }
    }

    void end() {
        String text = line(clock.monotonicNanos());
        err.println(terminal ? "\r" + text + "   " : text);
    }

    private String line(long now) {
        double seconds = Math.max((now - startNanos) / 1e9, 1e-6);
        double rate = rows / seconds;
        String eta = expected > rows && rate > 0 ? String.format(", ETA %.0fs", (expected - rows) / rate) : "";
        return String.format("%-36s %9d / %-9d rows  %10.0f rows/s%s", table, rows, expected, rate, eta);
    }
}
