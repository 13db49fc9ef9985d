package dev.myelin.bench;

import java.util.Arrays;

/**
 * Percentiles of a set of latencies, in milliseconds. Built once from all samples (sorted), so
 * the figures are exact rather than bucketed.
 */
public record Latencies(int count, double p50, double p99, double max) {

    public static final Latencies NONE = new Latencies(0, Double.NaN, Double.NaN, Double.NaN);

    /** From samples in nanoseconds; the array is sorted in place. */
    public static Latencies ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            return NONE;
        }
        Arrays.sort(nanos);
        return new Latencies(
                nanos.length, millis(at(nanos, 0.50)), millis(at(nanos, 0.99)), millis(nanos[nanos.length - 1]));
    }

    private static long at(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
