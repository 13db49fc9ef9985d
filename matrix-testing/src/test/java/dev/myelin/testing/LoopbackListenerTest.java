package dev.myelin.testing;

import static dev.myelin.testing.MatrixAssertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code @LoopbackListener}: a fake clock and a socket on 127.0.0.1, as a bot test uses them. */
@ExtendWith(HomeserverExtension.class)
@LoopbackListener
class LoopbackListenerTest {

    @Test
    void servesLoopbackOnTheFakeClock(TestHomeserver hs) throws Exception {
        assertThat(hs.isWallClock()).isFalse();
        assertThat(hs.clock().now()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(hs.baseUrl().getHost()).isEqualTo("127.0.0.1");
        TestClient alice = hs.registerUser("alice");
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> whoami = http.send(
                    HttpRequest.newBuilder(hs.baseUrl().resolve("/_matrix/client/v3/account/whoami"))
                            .header(
                                    "Authorization",
                                    "Bearer " + alice.accessToken().orElseThrow())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(whoami.statusCode()).isEqualTo(200);
            assertThat(whoami.body()).contains("@alice:test.local");
        }
    }

    @Test
    void aLongPollOverTheSocketEndsWhenTheTestAdvancesTheClock(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        String since = alice.sync().nextBatch();
        try (HttpClient http = HttpClient.newHttpClient()) {
            CompletableFuture<HttpResponse<String>> poll = http.sendAsync(
                    HttpRequest.newBuilder(hs.baseUrl()
                                    .resolve("/_matrix/client/v3/sync?timeout=30000&since=" + TestClient.encode(since)))
                            .header(
                                    "Authorization",
                                    "Bearer " + alice.accessToken().orElseThrow())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            // the server's long-poll sleeps on the fake clock: only the test ends it
            assertThat(hs.clock().awaitSleepers(1, Duration.ofSeconds(10))).isTrue();
            assertThat(poll).isNotDone();
            hs.clock().advance(Duration.ofSeconds(30));
            assertThat(poll.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }
}
