package dev.myelin.server.cli;

import dev.myelin.core.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The test server's clock as one of its homeservers sees it: the shared clock's time, with the
 * sleeps of that homeserver's threads tracked so that retiring it (a reset) interrupts them.
 * Without this, timers of a replaced server (a typing expiry, a retry) would stay on the shared
 * fake clock, fire during a later test's advance and count in its {@code pending_timers}.
 */
final class GenerationClock implements Clock {
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition left = lock.newCondition();
    private final Set<Thread> sleeping = new HashSet<>();
    private boolean retired;

    GenerationClock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Instant now() {
        return clock.now();
    }

    @Override
    public long nowMillis() {
        return clock.nowMillis();
    }

    @Override
    public long monotonicNanos() {
        return clock.monotonicNanos();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Thread self = enter();
        try {
            clock.sleep(duration);
        } finally {
            leave(self);
        }
    }

    @Override
    public void sleepUntil(long deadlineNanos) throws InterruptedException {
        Thread self = enter();
        try {
            clock.sleepUntil(deadlineNanos);
        } finally {
            leave(self);
        }
    }

    /**
     * Interrupts every sleep of this generation, now and from now on, and waits until the
     * interrupted ones have left the shared clock (so that its count of pending timers no longer
     * holds them when a reset answers). The wait is bounded by {@code realTimeBound} of real time:
     * interrupted sleeps leave at once, and a stuck thread must not hold up the reset.
     */
    void retire(Duration realTimeBound) {
        List<Thread> interrupted;
        lock.lock();
        try {
            retired = true;
            interrupted = List.copyOf(sleeping);
        } finally {
            lock.unlock();
        }
        interrupted.forEach(Thread::interrupt);
        lock.lock();
        try {
            long remaining = realTimeBound.toNanos();
            while (!sleeping.isEmpty() && remaining > 0) {
                remaining = left.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Registers the caller unless this generation is retired. */
    private Thread enter() throws InterruptedException {
        Thread self = Thread.currentThread();
        lock.lock();
        try {
            if (retired) {
                throw new InterruptedException("the homeserver was replaced");
            }
            sleeping.add(self);
        } finally {
            lock.unlock();
        }
        return self;
    }

    private void leave(Thread self) {
        lock.lock();
        try {
            sleeping.remove(self);
            left.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
