package dev.myelin.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a test class using {@link HomeserverExtension}: one {@link TestHomeserver} for all tests of
 * the class, started when first asked for (a {@code @BeforeAll} parameter, or the first test) and
 * closed after the last test, instead of a fresh one per test.
 *
 * <p>The tests then share the database, the users and the {@link FakeClock}, so they must not
 * depend on running first or on the clock's absolute time, and should use distinct user names
 * (or register them in {@code @BeforeAll}). {@link OverrideConfig} and {@link WallClock} are
 * read from the class only; on a method they are an error. A {@code @Nested} class gets its own
 * per-class homeserver only if it carries this annotation too.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Inherited
public @interface HomeserverPerClass {}
