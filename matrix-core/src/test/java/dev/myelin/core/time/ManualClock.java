package dev.myelin.core.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A clock for tests that only read time: it moves when told to and refuses to sleep. */
public final class ManualClock implements Clock {

    private final AtomicLong nanos = new AtomicLong();

    @Override
    public Instant now() {
        return Instant.EPOCH.plusNanos(nanos.get());
    }

    @Override
    public long monotonicNanos() {
        return nanos.get();
    }

    @Override
    public void sleep(Duration duration) {
        throw new UnsupportedOperationException("ManualClock does not sleep");
    }

    /** Moves time forward. */
    public void advance(Duration amount) {
        nanos.addAndGet(amount.toNanos());
    }
}
