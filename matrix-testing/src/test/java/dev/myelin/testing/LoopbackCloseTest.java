package dev.myelin.testing;

import static dev.myelin.testing.MatrixAssertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Closing a test server whose loopback listener still holds a real client's kept-alive connection:
 * measures the close, which must not wait for the connection to go idle.
 */
class LoopbackCloseTest {

    @Test
    void closingWithAnOpenKeptAliveConnectionIsQuick() throws Exception {
        List<Long> micros = new ArrayList<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int i = 0; i < 21; i++) {
                TestHomeserver hs = TestHomeserver.builder().listenOnLoopback().start();
                HttpResponse<String> versions = http.send(
                        HttpRequest.newBuilder(hs.baseUrl().resolve("/_matrix/client/versions"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(versions.statusCode()).isEqualTo(200);
                long start = System.nanoTime();
                hs.close();
                micros.add((System.nanoTime() - start) / 1_000);
            }
        }
        micros.removeFirst(); // warms up
        Collections.sort(micros);
        double median = micros.get(micros.size() / 2) / 1000.0;
        System.out.printf(
                "close with a kept-alive loopback connection: median %.1f ms, max %.1f ms over %d servers%n",
                median, micros.getLast() / 1000.0, micros.size());
        // Jetty's default would wait a second for each idle connection to time out
        assertThat(median).as("median ms per close").isLessThan(500);
    }
}
