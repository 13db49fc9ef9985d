package dev.myelin.core.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The deterministic clock for tests: a {@link Clock} whose time moves only when a test calls
 * {@link #advance(Duration)}, so code that sleeps, times out or runs periodically can be tested
 * without waiting. Production code never uses it; it lives here so that the tests of every module
 * share one implementation. Tests of a homeserver see it under its public name {@code
 * dev.myelin.testing.FakeClock} (matrix-testing), a thin subclass.
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
 * ManualClock clock = new ManualClock();
 * CompletableFuture<String> result = Futures.timeout(slowLookup(), Duration.ofSeconds(30), clock);
 * clock.awaitSleepers(1, Duration.ofSeconds(5));
 * clock.advance(Duration.ofSeconds(30));
 * assertThat(result).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class);
 * }</pre>
 *
 * <p>Wall time ({@link #now()}) and monotonic time move together; monotonic time starts at zero.
 * Every method is final: a subclass only names the clock, it does not change how time moves.
 */
public class ManualClock implements Clock {

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever the set of sleepers changes. */
    private final Condition sleepersChanged = lock.newCondition();
    /** Signalled when a woken sleeper has resumed. */
    private final Condition resumed = lock.newCondition();
    /** Serialises calls to advance, which release {@link #lock} while handing over. */
    private final ReentrantLock advancing = new ReentrantLock();

    private final PriorityQueue<Sleeper> sleepers = new PriorityQueue<>(
            Comparator.comparingLong((Sleeper s) -> s.deadline).thenComparingLong(s -> s.sequence));
    private final Instant start;
    private long nanos;
    private long sequence;

    /** A clock whose wall time starts at the Unix epoch. */
    public ManualClock() {
        this(Instant.EPOCH);
    }

    /** A clock whose wall time starts at {@code start}. */
    public ManualClock(Instant start) {
        this.start = Objects.requireNonNull(start, "start");
    }

    @Override
    public final Instant now() {
        lock.lock();
        try {
            return start.plusNanos(nanos);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final long monotonicNanos() {
        lock.lock();
        try {
            return nanos;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void sleep(Duration duration) throws InterruptedException {
        lock.lock();
        try {
            sleepUntilLocked(saturatedAdd(nanos, toNanos(duration)));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void sleepUntil(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            sleepUntilLocked(deadlineNanos);
        } finally {
            lock.unlock();
        }
    }

    private void sleepUntilLocked(long deadline) throws InterruptedException {
        if (deadline <= nanos) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return;
        }
        Sleeper sleeper = new Sleeper(deadline, sequence++, Thread.currentThread(), lock.newCondition());
        sleepers.add(sleeper);
        sleepersChanged.signalAll();
        try {
            while (!sleeper.woken) {
                sleeper.wakeup.await();
            }
        } catch (InterruptedException e) {
            if (!sleeper.woken) {
                sleepers.remove(sleeper);
                sleepersChanged.signalAll();
                throw e;
            }
            // woken and interrupted at once: the wake wins, the interrupt stays pending
            Thread.currentThread().interrupt();
        } finally {
            if (sleeper.woken) {
                sleeper.resumed = true;
                resumed.signalAll();
            }
        }
    }

    /**
     * Moves time forward by {@code amount}, waking every sleeper whose deadline is at or before
     * the new time, earliest deadline first (ties in the order the sleeps began). Sleeps that
     * begin during the advance with a deadline inside it are woken too, in order, which is what
     * lets a {@link LoopingCall} run once per elapsed interval.
     *
     * @return the threads woken, in the order they were woken (a thread that slept several times
     *     during the advance appears once per wake)
     * @throws IllegalArgumentException if {@code amount} is negative
     */
    public final List<Thread> advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("time cannot go backwards: " + amount);
        }
        List<Thread> woken = new ArrayList<>();
        advancing.lock();
        lock.lock();
        try {
            long target = saturatedAdd(nanos, toNanos(amount));
            while (!sleepers.isEmpty() && sleepers.peek().deadline <= target) {
                Sleeper next = sleepers.poll();
                nanos = Math.max(nanos, next.deadline);
                next.woken = true;
                next.wakeup.signal();
                woken.add(next.thread);
                sleepersChanged.signalAll();
                // hand over: the sleeper resumes before a later deadline is released
                while (!next.resumed) {
                    resumed.awaitUninterruptibly();
                }
            }
            nanos = target;
        } finally {
            lock.unlock();
            advancing.unlock();
        }
        return woken;
    }

    /** How many threads are asleep on this clock right now. */
    public final int pendingSleepers() {
        lock.lock();
        try {
            return sleepers.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The earliest pending deadline as a duration from now, or empty if nobody is asleep. Lets a
     * test advance exactly to the next thing that will happen.
     */
    public final Optional<Duration> nextDeadline() {
        lock.lock();
        try {
            Sleeper first = sleepers.peek();
            return first == null ? Optional.empty() : Optional.of(Duration.ofNanos(first.deadline - nanos));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits, for at most {@code realTimeout} of real time, until at least {@code count} threads are
     * asleep on this clock. This is how a test knows that the code under test has reached its
     * sleep before calling {@link #advance(Duration)}.
     *
     * @return {@code true} if that many sleepers were reached, {@code false} on timeout
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public final boolean awaitSleepers(int count, Duration realTimeout) throws InterruptedException {
        long remaining = toNanos(realTimeout);
        lock.lock();
        try {
            while (sleepers.size() < count) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = sleepersChanged.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[" + now() + ", " + pendingSleepers() + " asleep]";
    }

    /** Durations too long to count in nanoseconds (about 292 years) are as good as forever. */
    private static long toNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        // overflow only when both operands have the same sign and the sum's sign differs
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return b < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    private static final class Sleeper {
        final long deadline;
        final long sequence;
        final Thread thread;
        final Condition wakeup;
        boolean woken;
        boolean resumed;

        Sleeper(long deadline, long sequence, Thread thread, Condition wakeup) {
            this.deadline = deadline;
            this.sequence = sequence;
            this.thread = thread;
            this.wakeup = wakeup;
        }
    }
}
