package dev.myelin.storage.testing;

import dev.myelin.core.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that only moves when told to; enough for store tests (matrix-testing has the full FakeClock). */
public final class FixedClock implements Clock {
    private final AtomicLong millis;

    public FixedClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    public void advance(Duration d) {
        millis.addAndGet(d.toMillis());
    }

    @Override
    public Instant now() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public long monotonicNanos() {
        return millis.get() * 1_000_000L;
    }

    @Override
    public void sleep(Duration duration) {
        advance(duration);
    }
}
