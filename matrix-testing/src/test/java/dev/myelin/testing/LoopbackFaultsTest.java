package dev.myelin.testing;

import static dev.myelin.testing.MatrixAssertions.assertThat;
import static dev.myelin.testing.MatrixAssertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Faults injected on the loopback listener, seen by a real HTTP client and never by TestClient. */
@ExtendWith(HomeserverExtension.class)
@LoopbackListener
class LoopbackFaultsTest {
    private static final String VERSIONS = "/_matrix/client/versions";

    private HttpClient http;

    @BeforeEach
    void client() {
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void closeClient() {
        http.close();
    }

    private HttpResponse<String> get(TestHomeserver hs, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(hs.baseUrl().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void failNextAnswersOneMatchingRequestWithA429AndItsRetryDelay(TestHomeserver hs) throws Exception {
        hs.faults().failNext("/_matrix/client/versions", 429, Duration.ofMillis(1500));

        HttpResponse<String> limited = get(hs, VERSIONS);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(limited.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(limited.body())
                .isEqualTo("{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"Injected by the test (HTTP 429)\","
                        + "\"retry_after_ms\":1500}");
        assertThat(get(hs, VERSIONS).statusCode()).isEqualTo(200);
        assertThat(hs.faults().injected())
                .containsExactly(new LoopbackFaults.Injected("GET", VERSIONS, 429, Duration.ZERO));
    }

    @Test
    void failuresQueueUpInOrderAndOnlyMatchTheWholePath(TestHomeserver hs) throws Exception {
        hs.faults().failNext("/_matrix/client/v[0-9]+/login", 502).failNext("/_matrix/client/v3/login", 503);

        assertThat(get(hs, VERSIONS).statusCode()).isEqualTo(200);
        assertThat(get(hs, "/_matrix/client/v3/login").statusCode()).isEqualTo(502);
        HttpResponse<String> second = get(hs, "/_matrix/client/v3/login");
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.body()).contains("\"errcode\":\"M_UNKNOWN\"");
        assertThat(get(hs, "/_matrix/client/v3/login").statusCode()).isEqualTo(200);
    }

    @Test
    void theTestsOwnClientsAreNeverAffected(TestHomeserver hs) throws Exception {
        hs.faults().failNext("/_matrix/client/versions", 500).delay(".*", Duration.ofSeconds(30));
        assertThat(hs.anonymous().get(VERSIONS)).isOk();
        hs.faults().clear();
        assertThat(get(hs, VERSIONS).statusCode()).isEqualTo(200);
        assertThat(hs.faults().injected()).isEmpty();
    }

    @Test
    void delaysHoldRequestsBackInRealTime(TestHomeserver hs) throws Exception {
        // a delay long enough that a busy machine does not make the undelayed request look delayed
        hs.faults().delayNext(VERSIONS, Duration.ofMillis(1500));
        long start = System.nanoTime();
        assertThat(get(hs, VERSIONS).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));

        start = System.nanoTime();
        assertThat(get(hs, VERSIONS).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));

        hs.faults().delay(VERSIONS, Duration.ofMillis(200)).failNext(VERSIONS, 503);
        start = System.nanoTime();
        assertThat(get(hs, VERSIONS).statusCode()).isEqualTo(503);
        assertThat(get(hs, VERSIONS).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(hs.faults().injected())
                .extracting(LoopbackFaults.Injected::status)
                .containsExactly(0, 503, 0);
    }

    @Test
    void onlyAServerWithALoopbackListenerHasFaults() {
        try (TestHomeserver inMemory = TestHomeserver.builder().start()) {
            assertThatThrownBy(inMemory::faults)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("listenOnLoopback");
        }
        try (TestHomeserver hs = TestHomeserver.builder().listenOnLoopback().start()) {
            assertThatThrownBy(() -> hs.faults().failNext(VERSIONS, 200)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
