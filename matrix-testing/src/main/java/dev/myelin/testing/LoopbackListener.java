package dev.myelin.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a test method or class using {@link HomeserverExtension}: the homeserver keeps its {@link
 * FakeClock} and also listens on 127.0.0.1 with a free port ({@link TestHomeserver#baseUrl()}, see
 * {@link TestHomeserver.Builder#listenOnLoopback()}). For a bot or bridge on a real HTTP client
 * whose own timers run on the server's clock ({@code hs.clock()}), so that the test decides when
 * they fire; {@link LoopbackFaults} ({@code hs.faults()}) then injects slow answers and errors.
 *
 * <p>Time stands still unless the test moves it: a long-poll of the code under test ({@code
 * /sync?timeout=30000}) returns when something happens or when the test advances the clock, never
 * by itself. Wait with {@link TestClient#awaitEventInRealTime} and {@link
 * TestClient#assertNoEvent}, which leave the clock alone; {@link TestClient#awaitEvent} advances it.
 * Together with {@link WallClock} the server runs on the system clock instead.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@Inherited
public @interface LoopbackListener {}
