package dev.myelin.http;

import dev.myelin.core.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A clock whose {@link #sleep} blocks until a test {@link #advance advances} time past the
 * sleeper's deadline, so background loops on the clock run one step per advance. Tests wait for a
 * loop to finish its step with {@link #awaitSleepCalls}.
 */
public final class SteppingClock implements Clock {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Instant epoch = Instant.parse("2025-01-01T00:00:00Z");
    private long nanos;
    private long sleepCalls;

    @Override
    public Instant now() {
        return epoch.plusNanos(monotonicNanos());
    }

    @Override
    public long monotonicNanos() {
        lock.lock();
        try {
            return nanos;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        lock.lock();
        try {
            long deadline = nanos + duration.toNanos();
            sleepCalls++;
            changed.signalAll();
            while (nanos < deadline) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    public void advance(Duration duration) {
        lock.lock();
        try {
            nanos += duration.toNanos();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many times {@link #sleep} has been entered. */
    public long sleepCalls() {
        lock.lock();
        try {
            return sleepCalls;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits (at most {@code timeout} of real time) until {@link #sleep} has been entered at least
     * {@code count} times in total.
     *
     * @throws AssertionError on timeout
     */
    public void awaitSleepCalls(long count, Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long left = timeout.toNanos();
            while (sleepCalls < count) {
                if (left <= 0) {
                    throw new AssertionError("sleep entered " + sleepCalls + " times, expected " + count);
                }
                left = changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }
}
