package dev.myelin.http;

import dev.myelin.core.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that only moves when a test advances it. */
public final class TestClock implements Clock {

    private final AtomicLong nanos = new AtomicLong();
    private final Instant epoch = Instant.parse("2025-01-01T00:00:00Z");

    @Override
    public Instant now() {
        return epoch.plusNanos(nanos.get());
    }

    @Override
    public long monotonicNanos() {
        return nanos.get();
    }

    @Override
    public void sleep(Duration duration) {
        advance(duration);
    }

    public void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
