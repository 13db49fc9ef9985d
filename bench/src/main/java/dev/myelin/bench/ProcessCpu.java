package dev.myelin.bench;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server's processes by name and their CPU time (user + system, which
 * {@link ProcessHandle.Info#totalCpuDuration()} reads from {@code /proc/<pid>/stat}): one entry
 * for a single homeserver process, one per process of a worker deployment, none for a server the
 * bench did not start.
 */
record ProcessCpu(Map<String, Long> pids) {

    /** The CPU each process used between two samples, in the order of {@link #pids}. */
    record Usage(Map<String, Duration> byProcess) {
        /** The sum over every process. */
        Duration total() {
            return byProcess.values().stream().reduce(Duration.ZERO, Duration::plus);
        }
    }

    ProcessCpu {
        pids = Collections.unmodifiableMap(new LinkedHashMap<>(pids));
    }

    static ProcessCpu none() {
        return new ProcessCpu(Map.of());
    }

    static ProcessCpu single(long pid) {
        return new ProcessCpu(Map.of("server", pid));
    }

    boolean isEmpty() {
        return pids.isEmpty();
    }

    /** Every process's CPU time so far. */
    Map<String, Duration> sample() {
        Map<String, Duration> now = new LinkedHashMap<>();
        pids.forEach((name, pid) -> now.put(
                name,
                ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).orElse(Duration.ZERO)));
        return now;
    }

    /** The CPU used since {@code before} (a {@link #sample()} of this). */
    Usage since(Map<String, Duration> before) {
        Map<String, Duration> now = sample();
        Map<String, Duration> used = new LinkedHashMap<>();
        now.forEach((name, t) -> used.put(name, t.minus(before.getOrDefault(name, Duration.ZERO))));
        return new Usage(used);
    }
}
