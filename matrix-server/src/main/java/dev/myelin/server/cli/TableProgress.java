package dev.myelin.server.cli;

import dev.myelin.core.time.Clock;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * Shows a table-by-table copy on a terminal: for the table in progress a bar with rows done of
 * rows in all, rows per second and the time left, redrawn in place; one line per finished table.
 * Where the output is not a terminal (a log file, CI) the bar is printed as a plain line at most
 * every few seconds instead.
 */
final class TableProgress {
    private static final int BAR_WIDTH = 30;
    private static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);

    private final PrintStream out;
    private final Clock clock;
    private final boolean terminal;
    private Instant tableStart = Instant.EPOCH;
    private Instant lastPlainLine = Instant.EPOCH;
    private long startRows;

    /** @param terminal whether {@code out} is a terminal that understands a carriage return */
    TableProgress(PrintStream out, Clock clock, boolean terminal) {
        this.out = out;
        this.clock = clock;
        this.terminal = terminal;
    }

    /** A table starts; {@code done} of its {@code total} rows are already there (a resumed run). */
    void start(String table, long done, long total) {
        tableStart = clock.now();
        lastPlainLine = tableStart;
        startRows = done;
        if (terminal) {
            out.print("\r" + line(table, done, total));
            out.flush();
        }
    }

    void advance(String table, long done, long total) {
        Instant now = clock.now();
        if (terminal) {
            out.print("\r" + line(table, done, total));
            out.flush();
        } else if (Duration.between(lastPlainLine, now).compareTo(PLAIN_INTERVAL) >= 0) {
            lastPlainLine = now;
            out.println(line(table, done, total));
        }
    }

    /** The table is done: its final line stays. */
    void finish(String table, long total, String note) {
        long millis = Math.max(1, Duration.between(tableStart, clock.now()).toMillis());
        String rate = !note.isEmpty()
                ? note
                : total == 0 ? "(empty)" : String.format("%,d rows/s", (total - startRows) * 1000 / millis);
        String text = String.format("%-34s %,12d rows  %s", table, total, rate);
        out.println(terminal ? "\r" + text + " ".repeat(20) : text);
    }

    private String line(String table, long done, long total) {
        double fraction = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        long millis = Math.max(1, Duration.between(tableStart, clock.now()).toMillis());
        long rate = (done - startRows) * 1000 / millis;
        String eta = rate <= 0 ? "--:--" : clockTime((total - done) / rate);
        return String.format(
                "%-34s [%s%s] %,d/%,d rows  %,d rows/s  ETA %s",
                table, "#".repeat(filled), " ".repeat(BAR_WIDTH - filled), done, total, rate, eta);
    }

    static String clockTime(long seconds) {
        long s = Math.max(0, seconds);
        return s >= 3600
                ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%02d:%02d", s / 60, s % 60);
    }
}
