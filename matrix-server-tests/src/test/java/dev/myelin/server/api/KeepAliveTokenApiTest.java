package dev.myelin.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.WallClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An access token with its case changed is unknown, also on a keep-alive connection that carried
 * the real token just before (the server's HTTP parser caches header lines per connection, and
 * that cache must not match them ignoring case).
 */
@ExtendWith(HomeserverExtension.class)
@WallClock
class KeepAliveTokenApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void caseChangedTokenAfterTheRealOneOnOneConnectionIsUnknown(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        String token = alice.accessToken().orElseThrow();
        String changed = flipCase(token);
        assertThat(changed).isNotEqualTo(token).isEqualToIgnoringCase(token);

        try (Socket socket = new Socket("127.0.0.1", hs.baseUrl().getPort())) {
            socket.setSoTimeout(10_000);
            JsonNode me = whoami(socket, token, 200);
            assertThat(me.get("user_id").asText()).isEqualTo(alice.userId());

            JsonNode error = whoami(socket, changed, 401);
            assertThat(error.get("errcode").asText()).isEqualTo("M_UNKNOWN_TOKEN");
            assertThat(error.get("error").asText()).isEqualTo("Unrecognised access token");

            assertThat(whoami(socket, token, 200).get("user_id").asText()).isEqualTo(alice.userId());
        }
    }

    /** Upper-cases lower-case letters and the other way round. */
    private static String flipCase(String token) {
        StringBuilder flipped = new StringBuilder();
        for (char c : token.toCharArray()) {
            flipped.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        return flipped.toString();
    }

    /** Sends {@code GET /account/whoami} on the open connection and reads its response body. */
    private static JsonNode whoami(Socket socket, String token, int expectedStatus) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET /_matrix/client/v3/account/whoami HTTP/1.1\r\nHost: localhost\r\n" + "Authorization: Bearer "
                        + token + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("connection stays open: " + head).isNotNegative();
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("HTTP/1.1 " + expectedStatus + " ");
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(
                        line.substring("content-length:".length()).trim());
            }
        }
        return JSON.readTree(in.readNBytes(length));
    }
}
