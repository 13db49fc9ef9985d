package org.example.echobridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP side on its own, sent what a homeserver sends, over a real socket on 127.0.0.1. */
class AppServiceServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private volatile boolean failing;
    private AppServiceServer server;

    @BeforeEach
    void start() throws Exception {
        server = AppServiceServer.start(
                new InetSocketAddress("127.0.0.1", 0),
                "hs-secret",
                this::handle,
                userId -> userId.startsWith("@echo_"));
    }

    private void handle(JsonNode transaction) {
        if (failing) {
            throw new IllegalStateException("the homeserver is unreachable");
        }
        transaction.path("events").forEach(e -> handled.add(e.path("event_id").asText()));
    }

    @AfterEach
    void stop() {
        server.close();
        http.close();
    }

    @Test
    void handlesEachTransactionOnceAndAFailedOneWhenItComesAgain() throws Exception {
        assertThat(put("1", "{\"events\": [{\"event_id\": \"$a\"}]}", "hs-secret").statusCode()).isEqualTo(200);
        assertThat(put("1", "{\"events\": [{\"event_id\": \"$a\"}]}", "hs-secret").statusCode()).isEqualTo(200);
        failing = true;
        HttpResponse<String> failed = put("2", "{\"events\": [{\"event_id\": \"$b\"}]}", "hs-secret");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).contains("M_UNKNOWN");
        failing = false;
        assertThat(put("2", "{\"events\": [{\"event_id\": \"$b\"}]}", "hs-secret").statusCode()).isEqualTo(200);

        assertThat(handled).containsExactly("$a", "$b");
    }

    @Test
    void answersUserQueriesAndPings() throws Exception {
        assertThat(send("GET", "/_matrix/app/v1/users/%40echo_bob%3Atest.local", null, "hs-secret").statusCode())
                .isEqualTo(200);
        HttpResponse<String> unknown = send("GET", "/_matrix/app/v1/users/%40bob%3Atest.local", null, "hs-secret");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("M_NOT_FOUND");
        assertThat(send("POST", "/_matrix/app/v1/ping", "{}", "hs-secret").statusCode()).isEqualTo(200);
    }

    @Test
    void refusesRequestsWithoutTheHsTokenAndBadInput() throws Exception {
        HttpResponse<String> wrong = put("1", "{\"events\": [{\"event_id\": \"$a\"}]}", "not-the-token");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).contains("M_FORBIDDEN");
        assertThat(put("2", "{not json", "hs-secret").statusCode()).isEqualTo(400);
        assertThat(send("GET", "/_matrix/app/v1/elsewhere", null, "hs-secret").body()).contains("M_UNRECOGNIZED");
        assertThat(handled).isEmpty();
    }

    private HttpResponse<String> put(String txnId, String body, String token) throws Exception {
        return send("PUT", "/_matrix/app/v1/transactions/" + txnId, body, token);
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
