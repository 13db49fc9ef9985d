package dev.myelin.server.workers;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What polling one process for a changed value showed, in ms from the start of polling (just
 * after the change was acknowledged).
 *
 * @param staleReads the answers that still held the old value
 * @param lastStaleStart when the last of them was sent (-1 for none): the value was not yet
 *     visible at that time
 * @param firstFreshEnd when the first answer with the new value arrived (-1 for never): it was
 *     visible by then, the answer's own time included
 */
record Visibility(int staleReads, long lastStaleStart, long firstFreshEnd) {
    boolean seen() {
        return firstFreshEnd >= 0;
    }

    /** Whether it was served, and no read sent {@code millis} or later after the change got the old value. */
    boolean withinMillis(long millis) {
        return seen() && lastStaleStart < millis;
    }

    @Override
    public String toString() {
        return seen()
                ? "new value answered after " + firstFreshEnd + " ms, " + staleReads + " old answers"
                        + (staleReads > 0 ? " (the last sent at " + lastStaleStart + " ms)" : "")
                : "old value for 5 s (" + staleReads + " answers)";
    }

    /** A read that may be retried. */
    @FunctionalInterface
    interface Read {
        String get() throws InterruptedException;
    }

    /** Polls {@code read} every 2 ms until it returns {@code expected}, for at most {@code within}. */
    static Visibility poll(Read read, String expected, Duration within) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        int stale = 0;
        long lastStaleStart = -1;
        while (System.nanoTime() < deadline) {
            long sent = System.nanoTime();
            if (expected.equals(read.get())) {
                return new Visibility(stale, lastStaleStart, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
            stale++;
            lastStaleStart = TimeUnit.NANOSECONDS.toMillis(sent - start);
            Thread.sleep(2);
        }
        return new Visibility(stale, lastStaleStart, -1);
    }

    /** Polls every process at once from now until it serves {@code expected}, for at most 5 s. */
    static Map<String, Visibility> pollAll(List<String> processes, Function<String, Read> reads, String expected)
            throws Exception {
        Map<String, CompletableFuture<Visibility>> polls = new LinkedHashMap<>();
        for (String p : processes) {
            CompletableFuture<Visibility> done = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    done.complete(poll(reads.apply(p), expected, Duration.ofSeconds(5)));
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            });
            polls.put(p, done);
        }
        Map<String, Visibility> seen = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<Visibility>> poll : polls.entrySet()) {
            seen.put(poll.getKey(), poll.getValue().get(10, TimeUnit.SECONDS));
        }
        return seen;
    }
}
