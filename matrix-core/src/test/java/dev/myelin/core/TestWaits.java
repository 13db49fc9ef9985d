package dev.myelin.core;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition that another thread will make true, without sleeping. */
public final class TestWaits {

    private TestWaits() {}

    /** Yields until {@code condition} holds; fails after five seconds of real time. */
    public static void until(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 5 s");
            }
            Thread.yield();
        }
    }
}
