package dev.myelin.core.time;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task periodically on its own virtual thread, timed by a {@link Clock}.
 *
 * <p>Used for background housekeeping (expiring tokens, pruning caches, flushing metrics) that
 * must keep going even when one run fails, and that tests drive with a fake clock instead of
 * waiting in real time.
 *
 * <p>Runs are scheduled at a fixed rate: the <i>k</i>-th run is due at {@code start + k *
 * interval} on {@link Clock#monotonicNanos()}. If a run overruns its slot, the runs that fell due
 * meanwhile follow back to back (like {@link
 * java.util.concurrent.ScheduledExecutorService#scheduleAtFixedRate}), so the number of runs
 * after a given amount of clock time does not depend on thread scheduling. An exception thrown by
 * the task is logged and the loop goes on; an {@link Error} is logged and ends the loop.
 *
 * <pre>{@code
 * LoopingCall pruner = LoopingCall.start("prune-tokens", clock, Duration.ofMinutes(5), false,
 *         store::pruneExpiredTokens);
 * ...
 * pruner.stop(); // returns once the loop thread has ended
 * }</pre>
 */
public final class LoopingCall implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoopingCall.class);

    private final String name;
    private final Clock clock;
    private final long intervalNanos;
    private final boolean runImmediately;
    private final Runnable task;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ended = lock.newCondition();
    private boolean stopped;
    private boolean sleeping;
    private boolean finished;
    private long runs;
    private Thread thread;

    private LoopingCall(String name, Clock clock, Duration interval, boolean runImmediately, Runnable task) {
        this.name = Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.task = Objects.requireNonNull(task, "task");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.intervalNanos = interval.toNanos();
        this.runImmediately = runImmediately;
    }

    /**
     * Starts running {@code task} every {@code interval}.
     *
     * @param name names the loop thread and appears in log lines
     * @param runImmediately {@code true} to run the task once right away, {@code false} to wait
     *     one interval first
     */
    public static LoopingCall start(
            String name, Clock clock, Duration interval, boolean runImmediately, Runnable task) {
        LoopingCall call = new LoopingCall(name, clock, interval, runImmediately, task);
        call.lock.lock();
        try {
            // assigned under the lock so stop() never sees a half-started loop
            call.thread = Thread.ofVirtual().name("looping-call-" + name).start(call::loop);
        } finally {
            call.lock.unlock();
        }
        return call;
    }

    private void loop() {
        long next = clock.monotonicNanos() + (runImmediately ? 0 : intervalNanos);
        try {
            while (true) {
                lock.lock();
                try {
                    if (stopped) {
                        return;
                    }
                    sleeping = true;
                } finally {
                    lock.unlock();
                }
                try {
                    clock.sleepUntil(next);
                } catch (InterruptedException e) {
                    // only stop() interrupts this thread, and only while it sleeps
                    return;
                }
                lock.lock();
                try {
                    sleeping = false;
                    if (stopped) {
                        return;
                    }
                    runs++;
                } finally {
                    lock.unlock();
                }
                runOnce();
                next += intervalNanos;
            }
        } catch (Error e) {
            LOG.error("Looping call {} ended by an error", name, e);
            throw e;
        } finally {
            lock.lock();
            try {
                finished = true;
                ended.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void runOnce() {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("Looping call {} failed; it will run again in {} ns", name, intervalNanos, e);
        }
    }

    /** How many times the task has been started so far. */
    public long runs() {
        lock.lock();
        try {
            return runs;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the loop thread is still alive. */
    public boolean isRunning() {
        lock.lock();
        try {
            return !finished;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the loop and waits for it to end. A run in progress is not interrupted: it finishes
     * first. Safe to call more than once and from within the task itself (then it does not wait).
     * If the calling thread is interrupted while waiting, it keeps waiting and the interrupt
     * status is restored on return.
     */
    public void stop() {
        lock.lock();
        try {
            stopped = true;
            if (Thread.currentThread() == thread) {
                return;
            }
            if (sleeping) {
                thread.interrupt();
            }
            while (!finished) {
                ended.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "LoopingCall[" + name + "]";
    }
}
