package dev.myelin.testing;

import static dev.myelin.testing.MatrixAssertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * {@link FailOnPinning} fails a test that pins a virtual thread and passes one that does not. The
 * fixture classes below run through the JUnit launcher from these tests only (Surefire skips
 * nested classes, and they are disabled unless the launcher run sets the property).
 */
class FailOnPinningTest {
    private static final String FIXTURES = "myelin.pinning.fixtures";

    @Test
    void failsATestThatBlocksWhilePinned() {
        TestExecutionSummary summary = run(ClassInitializerPin.class);
        assertThat(summary.getTestsFailedCount()).isEqualTo(1);
        Throwable failure = summary.getFailures().getFirst().getException();
        assertThat(failure)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("jdk.VirtualThreadPinned")
                .hasMessageContaining("pinner")
                .hasMessageContaining("SlowToInitialize");
    }

    @Test
    void synchronizedAroundABlockingCallFailsWhereMonitorsPin() {
        TestExecutionSummary summary = run(SynchronizedPin.class);
        if (Runtime.version().feature() < 24) {
            assertThat(summary.getTestsFailedCount()).isEqualTo(1);
            assertThat(summary.getFailures().getFirst().getException()).hasMessageContaining("jdk.VirtualThreadPinned");
        } else {
            // JEP 491: from JDK 24 a virtual thread blocking in synchronized releases its carrier
            assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        }
    }

    @Test
    void passesATestThatBlocksWithoutPinning() {
        TestExecutionSummary summary = run(NoPin.class);
        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
        assertThat(summary.getTestsFailedCount()).isZero();
    }

    @Test
    void theRecorderWorksOnItsOwn() throws Exception {
        PinningRecorder recorder = PinningRecorder.start(Duration.ofMillis(20));
        Thread.ofVirtual().name("quiet").start(() -> sleep(30)).join();
        List<PinningRecorder.Pin> pins = recorder.stop();
        assertThat(pins).isEmpty();
        assertThat(recorder.stop()).as("stopping twice is harmless").isEmpty();
    }

    private static TestExecutionSummary run(Class<?> fixture) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        System.setProperty(FIXTURES, "true");
        try {
            Launcher launcher = LauncherFactory.create();
            launcher.execute(
                    LauncherDiscoveryRequestBuilder.request()
                            .selectors(selectClass(fixture))
                            .build(),
                    listener);
        } finally {
            System.clearProperty(FIXTURES);
        }
        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getTestsFoundCount())
                .as("fixture tests found in " + fixture.getSimpleName())
                .isPositive();
        return summary;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocking in a class initializer pins on every JDK: the initializer runs under a VM frame. */
    static final class SlowToInitialize {
        static {
            sleep(100);
        }

        static void touch() {}
    }

    @FailOnPinning
    @EnabledIfSystemProperty(named = FIXTURES, matches = "true")
    static class ClassInitializerPin {
        @Test
        void pins() throws Exception {
            Thread.ofVirtual().name("pinner").start(SlowToInitialize::touch).join();
        }
    }

    @FailOnPinning
    @EnabledIfSystemProperty(named = FIXTURES, matches = "true")
    static class SynchronizedPin {
        private final Object monitor = new Object();

        @Test
        void pinsBefore24() throws Exception {
            Thread.ofVirtual()
                    .name("synchronized-sleeper")
                    .start(() -> {
                        synchronized (monitor) {
                            sleep(100);
                        }
                    })
                    .join();
        }
    }

    @EnabledIfSystemProperty(named = FIXTURES, matches = "true")
    static class NoPin {
        private final ReentrantLock lock = new ReentrantLock();

        @Test
        @FailOnPinning
        void blocksUnderAReentrantLock() throws Exception {
            Thread.ofVirtual()
                    .start(() -> {
                        lock.lock();
                        try {
                            sleep(100);
                        } finally {
                            lock.unlock();
                        }
                    })
                    .join();
        }

        @Test
        @FailOnPinning
        @ExtendWith(HomeserverExtension.class)
        void servesRequestsWithoutPinning(TestHomeserver hs) {
            TestClient alice = hs.registerUser("alice");
            String room = alice.createRoom(null);
            alice.sendMessage(room, "hello");
            assertThat(alice.sync()).hasTimelineEvent(room, "m.room.message", "hello");
        }
    }
}
