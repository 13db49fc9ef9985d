package dev.myelin.testing.workers;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping a child process: asked first, forced when it does not stop in time, and waited for. */
final class ProcessStop {
    private static final Duration STOP_WITHIN = Duration.ofSeconds(10);

    private ProcessStop() {}

    /** Asks {@code p} to stop (SIGTERM), kills it if it has not within the limit, and waits for it. */
    static void gently(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        awaitExit(p);
    }

    /** Waits (within the limit) until {@code p} has exited. */
    static void awaitExit(Process p) {
        try {
            p.waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
