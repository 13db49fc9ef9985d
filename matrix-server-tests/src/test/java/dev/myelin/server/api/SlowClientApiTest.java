package dev.myelin.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.WallClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client sending its request headers a byte at a time cannot hold a connection to the
 * homeserver open: {@code http_timeouts.request_headers} (one second here) closes it; nor can
 * one sending its body that way ({@code http_timeouts.request_body}).
 */
@ExtendWith(HomeserverExtension.class)
@WallClock
@OverrideConfig(key = "http_timeouts", value = "{request_headers: 1s, request_body: 1s}")
class SlowClientApiTest {

    @Test
    void trickledHeadersAreCutOffAtTheConfiguredTimeout(TestHomeserver hs) throws Exception {
        String request = "GET /_matrix/client/versions HTTP/1.1\r\nHost: localhost\r\nUser-Agent: " + "x".repeat(200)
                + "\r\n\r\n";
        long started = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", hs.baseUrl().getPort())) {
            OutputStream out = socket.getOutputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (byte b : request.getBytes(StandardCharsets.US_ASCII)) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException ignored) {
                    // the server closed the connection, or the test is over
                }
            });
            socket.setSoTimeout(5_000);
            InputStream in = socket.getInputStream();
            boolean closed;
            try {
                closed = in.readAllBytes().length == 0;
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (IOException e) {
                closed = true; // reset
            }
            writer.interrupt();
            assertThat(closed).as("closed without a response").isTrue();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started).toMillis()).isBetween(900L, 4_000L);
    }

    @Test
    void promptRequestsAreServed(TestHomeserver hs) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", hs.baseUrl().getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream()
                    .write("GET /_matrix/client/versions HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200 ").contains("\"versions\"");
        }
    }

    @Test
    void aTrickledBodyIsAnswered408(TestHomeserver hs) throws Exception {
        String body = "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"alice\"},"
                + "\"password\":\"" + "p".repeat(1000) + "\"}";
        try (Socket socket = new Socket("127.0.0.1", hs.baseUrl().getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /_matrix/client/v3/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (byte b : body.getBytes(StandardCharsets.US_ASCII)) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(10);
                    }
                } catch (IOException | InterruptedException ignored) {
                    // the server closed the connection, or the test is over
                }
            });
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            writer.interrupt();
            assertThat(response)
                    .startsWith("HTTP/1.1 408 ")
                    .endsWith("{\"errcode\":\"M_UNKNOWN\",\"error\":\"The request body arrived too slowly\"}");
        }
    }
}
