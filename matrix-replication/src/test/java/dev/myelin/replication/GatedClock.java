package dev.myelin.replication;

import dev.myelin.core.time.Clock;
import dev.myelin.core.time.SystemClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Real time, but sleeps (the reconnection waits) can be held back until the test opens the gate,
 * so a test decides which side reconnects first; records every sleep requested.
 */
final class GatedClock implements Clock {

    final List<Duration> publisherSleeps = new CopyOnWriteArrayList<>();
    final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private final boolean realSleeps;
    private boolean open = true;

    /** @param realSleeps whether sleeps take their real time, or a millisecond */
    GatedClock(boolean realSleeps) {
        this.realSleeps = realSleeps;
    }

    void close() {
        synchronized (gate) {
            open = false;
        }
    }

    void open() {
        synchronized (gate) {
            open = true;
            gate.notifyAll();
        }
    }

    @Override
    public Instant now() {
        return SystemClock.INSTANCE.now();
    }

    @Override
    public long monotonicNanos() {
        return SystemClock.INSTANCE.monotonicNanos();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        String thread = Thread.currentThread().getName();
        if (thread.equals("replication-pub")) {
            publisherSleeps.add(duration);
        }
        synchronized (gate) {
            while (!open) {
                waiting.add(thread);
                try {
                    gate.wait();
                } finally {
                    waiting.remove(thread);
                }
            }
        }
        SystemClock.INSTANCE.sleep(realSleeps ? duration : Duration.ofMillis(1));
    }
}
