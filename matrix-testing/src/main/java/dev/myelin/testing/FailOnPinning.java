package dev.myelin.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails a test during which any virtual thread in the JVM was pinned to its carrier while it
 * blocked for at least {@link #thresholdMillis()}: a JFR {@code jdk.VirtualThreadPinned} event was
 * recorded. On a test class it applies to every test of the class; on a method, to that test.
 * The recording covers {@code @BeforeEach} and {@code @AfterEach} methods too, and code on other
 * threads, such as the homeserver's request handlers.
 *
 * <p>Which blocking pins depends on the JDK: up to JDK 23 blocking inside {@code synchronized}
 * pins (use {@code ReentrantLock} around blocking calls, as Myelin's style asks); from JDK 24
 * (JEP 491) monitors no longer pin, but blocking inside a class initializer or under a native
 * frame still does. The failure message names the thread, the duration and the stack.
 *
 * <p>Tests in the same JVM that run in parallel share one flight recorder, so a pin in one can
 * fail another; keep such classes sequential.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Inherited
@ExtendWith(PinningExtension.class)
public @interface FailOnPinning {
    /**
     * The shortest pinned block reported, in milliseconds; 20, JFR's own default, unless set.
     * Zero reports every pinned block, including brief waits inside the JDK and libraries.
     */
    long thresholdMillis() default 20;
}
