package dev.myelin.http.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.core.time.ManualClock;
import dev.myelin.http.server.HttpServer;
import org.eclipse.jetty.http.HttpTester;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExampleServerTest {

    private HttpServer server;

    @BeforeEach
    void start() {
        server = ExampleServer.builder(new ManualClock()).localConnector().build();
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpTester.Response send(String head, String body) {
        String raw = server.localRequest(
                head + "\r\nHost: hs\r\nConnection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        return HttpTester.parseResponse(raw);
    }

    @Test
    void versionsNeedNoToken() {
        assertThat(send("GET /_matrix/client/versions HTTP/1.1", "").getContent())
                .isEqualTo("{\"versions\":[\"v1.19\"]}");
    }

    @Test
    void whoamiAnswersTheTokensUserAndRefusesOthers() {
        assertThat(send("GET /_matrix/client/v3/account/whoami HTTP/1.1\r\nAuthorization: Bearer alice_token", "")
                        .getContent())
                .isEqualTo("{\"user_id\":\"@alice:example.org\",\"is_guest\":false,\"device_id\":\"PHONE\"}");
        assertThat(send("GET /_matrix/client/v3/account/whoami HTTP/1.1\r\nAuthorization: Bearer nope", "")
                        .getStatus())
                .isEqualTo(401);
    }

    @Test
    void echoReturnsTheObjectAndRefusesNonJson() {
        assertThat(send("POST /_myelin/echo HTTP/1.1", "{\"a\":[1,2]}").getContent())
                .isEqualTo("{\"a\":[1,2]}");
        assertThat(send("POST /_myelin/echo HTTP/1.1", "nope").getContent())
                .isEqualTo("{\"errcode\":\"M_NOT_JSON\",\"error\":\"Content not JSON\"}");
    }
}
