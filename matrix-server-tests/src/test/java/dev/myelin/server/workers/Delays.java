package dev.myelin.server.workers;

import java.util.ArrayList;
import java.util.List;

/** Percentiles of measured delays (in nanoseconds), reported in milliseconds. */
final class Delays {
    private Delays() {}

    static double medianMillis(List<Long> nanos) {
        return percentileMillis(nanos, 0.5);
    }

    static double percentileMillis(List<Long> nanos, double p) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        int index = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(p * sorted.size()) - 1));
        return sorted.get(index) / 1e6;
    }
}
