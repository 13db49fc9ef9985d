package dev.myelin.server.workers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.api.client.account.RegisterEndpoint;
import dev.myelin.server.api.client.profile.GetProfileFieldEndpoint;
import dev.myelin.server.api.client.profile.SetProfileFieldEndpoint;
import dev.myelin.server.api.client.room.CreateRoomEndpoint;
import dev.myelin.server.api.client.room.GetStateEventEndpoint;
import dev.myelin.server.api.client.room.JoinEndpoint;
import dev.myelin.server.api.client.room.MessagesEndpoint;
import dev.myelin.server.api.client.room.SendEventEndpoint;
import dev.myelin.server.api.client.room.SetStateEndpoint;
import dev.myelin.server.api.client.sync.SyncEndpoint;
import dev.myelin.server.handler.profile.ProfileHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Client-Server calls the worker tests make, over real HTTP to any process or the proxy of a
 * worker deployment: paths come from the endpoints' shared definitions, bodies are Jackson trees,
 * and an answer of any status (or a failed connection, as status -1) is returned, never thrown,
 * since sends to a killed process are expected to fail.
 */
final class ProcessClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: the status ({@code -1} when no answer came) and the parsed body. */
    record Reply(int status, JsonNode body) {
        boolean ok() {
            return status == 200;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** A registered user. */
    record Account(String userId, String token) {}

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(executor)
            .build();

    Account register(String base, String name) throws InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("username", name).put("password", "workers-password-1");
        body.putObject("auth").put("type", "m.login.dummy");
        Reply reply = call(base, "POST", RegisterEndpoint.SPEC.pathOf(), null, body, Duration.ofSeconds(30));
        require(reply, "register " + name);
        return new Account(
                reply.body().get("user_id").asText(),
                reply.body().get("access_token").asText());
    }

    /** Creates a public room and returns its id. */
    String createRoom(String base, Account as) throws InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("preset", "public_chat");
        Reply reply = call(base, "POST", CreateRoomEndpoint.SPEC.pathOf(), as.token(), body, Duration.ofSeconds(30));
        require(reply, "createRoom");
        return reply.body().get("room_id").asText();
    }

    void join(String base, Account as, String roomId) throws InterruptedException {
        Reply reply = call(
                base,
                "POST",
                JoinEndpoint.SPEC.pathOf(roomId),
                as.token(),
                JSON.createObjectNode(),
                Duration.ofSeconds(30));
        require(reply, "join " + roomId);
    }

    Reply sendText(String base, Account as, String roomId, String txnId, String text) throws InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("msgtype", "m.text").put("body", text);
        return call(
                base,
                "PUT",
                SendEventEndpoint.SPEC.pathOf(roomId, "m.room.message", txnId),
                as.token(),
                body,
                Duration.ofSeconds(30));
    }

    Reply setTopic(String base, Account as, String roomId, String topic) throws InterruptedException {
        return call(
                base,
                "PUT",
                SetStateEndpoint.SPEC.pathOf(roomId, "m.room.topic", ""),
                as.token(),
                JSON.createObjectNode().put("topic", topic),
                Duration.ofSeconds(30));
    }

    Reply getTopic(String base, Account as, String roomId) throws InterruptedException {
        return call(
                base,
                "GET",
                GetStateEventEndpoint.SPEC.pathOf(roomId, "m.room.topic", ""),
                as.token(),
                null,
                Duration.ofSeconds(10));
    }

    Reply setDisplayName(String base, Account as, String name) throws InterruptedException {
        return call(
                base,
                "PUT",
                SetProfileFieldEndpoint.spec(ProfileHandler.Field.DISPLAYNAME).pathOf(as.userId()),
                as.token(),
                JSON.createObjectNode().put("displayname", name),
                Duration.ofSeconds(30));
    }

    Reply getDisplayName(String base, Account as) throws InterruptedException {
        return call(
                base,
                "GET",
                GetProfileFieldEndpoint.DISPLAYNAME.pathOf(as.userId()),
                as.token(),
                null,
                Duration.ofSeconds(10));
    }

    /** A page of up to {@code limit} events of a room, newest first, from {@code from} (null: the newest). */
    Reply messages(String base, Account as, String roomId, String from, int limit) throws InterruptedException {
        EndpointCall<?, ?> call =
                EndpointCall.of(MessagesEndpoint.SPEC, roomId).query("dir", "b").query("limit", limit);
        if (from != null) {
            call = call.query("from", from);
        }
        return call(base, "GET", call.uri(), as.token(), null, Duration.ofSeconds(30));
    }

    /** A sync from {@code since} (initial when null) with an inline filter, waiting up to {@code timeoutMs}. */
    Reply sync(String base, Account as, String since, long timeoutMs, String filter) throws InterruptedException {
        return syncAsync(base, as, since, timeoutMs, filter).join();
    }

    CompletableFuture<Reply> syncAsync(String base, Account as, String since, long timeoutMs, String filter) {
        EndpointCall<?, ?> call = EndpointCall.of(SyncEndpoint.SPEC).query("timeout", timeoutMs);
        if (since != null) {
            call = call.query("since", since);
        }
        if (filter != null) {
            call = call.query("filter", filter);
        }
        HttpRequest request = request(base, "GET", call.uri(), as.token(), null, Duration.ofMillis(timeoutMs + 30_000));
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, failure) -> failure != null ? failed(failure) : parse(response));
    }

    Reply call(String base, String method, String path, String token, JsonNode body, Duration timeout)
            throws InterruptedException {
        try {
            return parse(http.send(
                    request(base, method, path, token, body, timeout), HttpResponse.BodyHandlers.ofByteArray()));
        } catch (IOException e) {
            return failed(e);
        }
    }

    private static HttpRequest request(
            String base, String method, String path, String token, JsonNode body, Duration timeout) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            builder.header("Content-Type", "application/json");
            builder.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return builder.build();
    }

    private static Reply parse(HttpResponse<byte[]> response) {
        JsonNode body;
        try {
            body = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException notJson) {
            body = JSON.getNodeFactory().textNode(new String(response.body(), StandardCharsets.UTF_8));
        }
        return new Reply(response.statusCode(), body);
    }

    private static Reply failed(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        return new Reply(
                -1, JSON.getNodeFactory().textNode(cause.getClass().getSimpleName() + ": " + cause.getMessage()));
    }

    private static void require(Reply reply, String what) {
        if (!reply.ok()) {
            throw new AssertionError(what + " failed: " + reply);
        }
    }

    @Override
    public void close() {
        http.close();
        executor.close();
    }
}
