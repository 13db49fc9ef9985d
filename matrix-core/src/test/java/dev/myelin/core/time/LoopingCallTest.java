package dev.myelin.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.TestWaits;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Behaviour on the real clock; timing behaviour is covered with ManualClock in ManualClockDrivesRuntimeTest. */
class LoopingCallTest {

    @Test
    void runsImmediatelyWhenAsked() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        try (LoopingCall call =
                LoopingCall.start("now", SystemClock.INSTANCE, Duration.ofHours(1), true, ran::countDown)) {
            assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(call.isRunning()).isTrue();
        }
    }

    @Test
    void stopReturnsOnlyAfterTheLoopHasEnded() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        LoopingCall call = LoopingCall.start("stop", SystemClock.INSTANCE, Duration.ofHours(1), true, ran::countDown);
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        call.stop();
        assertThat(call.isRunning()).isFalse();
        call.stop(); // a second stop is harmless
    }

    @Test
    void stopLetsARunInProgressFinish() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        LoopingCall call = LoopingCall.start("slow", SystemClock.INSTANCE, Duration.ofHours(1), true, () -> {
            started.countDown();
            try {
                release.await();
                finished.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        Thread stopper = Thread.ofVirtual().start(call::stop);
        release.countDown();
        stopper.join();
        assertThat(finished.get()).isEqualTo(1);
        assertThat(call.isRunning()).isFalse();
    }

    @Test
    void stopFromInsideTheTaskEndsTheLoop() throws InterruptedException {
        LoopingCall[] self = new LoopingCall[1];
        CountDownLatch assigned = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        self[0] = LoopingCall.start("self-stop", SystemClock.INSTANCE, Duration.ofNanos(1), true, () -> {
            runs.incrementAndGet();
            try {
                assigned.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            self[0].stop();
        });
        assigned.countDown();
        TestWaits.until(() -> !self[0].isRunning());
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void rejectsNonPositiveInterval() {
        assertThatThrownBy(() -> LoopingCall.start("bad", SystemClock.INSTANCE, Duration.ZERO, true, () -> {}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
