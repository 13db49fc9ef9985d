package dev.myelin.testing;

import dev.myelin.core.time.Clock;
import dev.myelin.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;

/**
 * A {@link Clock} whose time moves only when a test calls {@link #advance(Duration)}, so code that
 * sleeps, times out or runs periodically can be tested deterministically and without waiting.
 *
 * <p>A thread that calls {@link #sleep(Duration)} or {@link #sleepUntil(long)} is parked and
 * recorded in a heap ordered by deadline, then by the order the sleeps began. {@code advance}
 * steps time through the due deadlines in that order: for each one it sets the clock to the
 * deadline, wakes that sleeper and waits until the sleeper has resumed, before going on to the
 * next. A sleep whose deadline equals the new time wakes; one whose deadline is later stays
 * asleep. When {@code advance} returns, the clock reads exactly the old time plus the amount.
 *
 * <p>Tests synchronise with the code under test through {@link #awaitSleepers(int, Duration)},
 * which waits (in real time, with a bound) until that many threads are asleep on this clock, for
 * example before advancing past a timeout the code under test has just started:
 *
 * <pre>{@code
 * FakeClock clock = new FakeClock();
 * CompletableFuture<String> result = Futures.timeout(slowLookup(), Duration.ofSeconds(30), clock);
 * clock.awaitSleepers(1, Duration.ofSeconds(5));
 * clock.advance(Duration.ofSeconds(30));
 * assertThat(result).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class);
 * }</pre>
 *
 * <p>Wall time ({@link #now()}) and monotonic time move together; monotonic time starts at zero.
 *
 * <p>The implementation is matrix-core's {@link ManualClock}, which the tests of the library
 * modules use directly; this is the name the test kit gives it.
 */
public final class FakeClock extends ManualClock {

    /** The wall time a clock made with {@link #FakeClock()} starts at: 2024-01-01T00:00:00Z. */
    public static final Instant DEFAULT_START = Instant.parse("2024-01-01T00:00:00Z");

    /** A clock at {@link #DEFAULT_START}. */
    public FakeClock() {
        this(DEFAULT_START);
    }

    /** Where this clock's wall time started: its wall time is always this plus its monotonic time. */
    private final Instant start;

    /** A clock whose wall time starts at {@code start}. */
    public FakeClock(Instant start) {
        super(start);
        this.start = start;
    }

    /**
     * Sleeps until the wall time ({@link #now()}) reaches {@code deadline}; returns at once if it
     * has. The deadline is fixed in the clock's own terms, so a test advancing the clock while the
     * caller is on its way to sleep cannot make it sleep too long, as computing {@code
     * sleep(Duration.between(now(), deadline))} could. This is the method a bot's or bridge's own
     * timer seam ({@code sleepUntil(Instant)}) calls in a test that shares the server's clock.
     *
     * @throws InterruptedException if the thread is interrupted while asleep
     */
    public void sleepUntil(Instant deadline) throws InterruptedException {
        sleepUntil(Duration.between(start, deadline).toNanos());
    }
}
