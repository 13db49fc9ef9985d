package dev.myelin.testing;

import static dev.myelin.testing.MatrixAssertions.assertThat;
import static dev.myelin.testing.MatrixAssertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Wall-clock mode and the loopback listener, as a bot test uses them. */
@ExtendWith(HomeserverExtension.class)
class WallClockTest {

    @Test
    @WallClock
    void runsOnTheSystemClockAndServesLoopback(TestHomeserver hs) throws Exception {
        assertThat(hs.isWallClock()).isTrue();
        assertThat(Duration.between(hs.time().now(), Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
        assertThatThrownBy(hs::clock).isInstanceOf(IllegalStateException.class).hasMessageContaining("system clock");

        URI base = hs.baseUrl();
        assertThat(base.getHost()).isEqualTo("127.0.0.1");
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> versions = http.send(
                    HttpRequest.newBuilder(base.resolve("/_matrix/client/versions"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(versions.statusCode()).isEqualTo(200);
            assertThat(versions.body()).contains("v1.1");
        }
        // the in-memory connector still serves TestClient
        assertThat(hs.registerUser("alice").get("/_matrix/client/v3/account/whoami"))
                .isOk();
    }

    @Test
    @WallClock(loopback = false)
    void aShortWallClockWaitTimesOutInRealTime(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        long start = System.nanoTime();
        assertThatThrownBy(() -> alice.awaitEvent(room, e -> e.isMessage("never"), Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofMillis(250), Duration.ofSeconds(10));
        assertThatThrownBy(hs::baseUrl).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theDefaultIsAFakeClockWithoutASocket(TestHomeserver hs) {
        assertThat(hs.isWallClock()).isFalse();
        assertThat(hs.time()).isSameAs(hs.clock());
        assertThatThrownBy(hs::baseUrl)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("listenOnLoopback");
    }
}
