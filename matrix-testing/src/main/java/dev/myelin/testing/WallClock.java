package dev.myelin.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a test method or class using {@link HomeserverExtension}: the homeserver runs on the system
 * clock instead of a {@link FakeClock} (see {@link TestHomeserver.Builder#wallClock()}), and
 * listens on loopback too (see {@link TestHomeserver.Builder#listenOnLoopback()}) unless
 * {@link #loopback()} is false. For tests of code that makes its own long-polls over a real HTTP
 * client, such as a bot, whose timeouts must pass without the test advancing a clock. A bot whose
 * timers can run on a clock the test gives it is better tested with {@link LoopbackListener}, which
 * keeps the fake clock.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@Inherited
public @interface WallClock {
    /** Whether to add the 127.0.0.1 listener ({@link TestHomeserver#baseUrl()}). */
    boolean loopback() default true;
}
