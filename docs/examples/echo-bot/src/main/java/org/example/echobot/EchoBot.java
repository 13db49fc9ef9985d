package org.example.echobot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Matrix bot that joins every room it is invited to and answers each text message from someone
 * else with {@code "echo: <text>"}. It speaks the plain Client-Server API over the JDK's
 * {@link HttpClient}: log in, sync in a loop, join on invite, send.
 *
 * <pre>{@code
 * try (EchoBot bot = EchoBot.start(URI.create("https://matrix.example.org"), "echo", password)) {
 *     bot.awaitStop();
 * }
 * }</pre>
 */
public final class EchoBot implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long one /sync waits for news on the server. */
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    private final URI homeserver;
    private final HttpClient http;
    private final String accessToken;
    private final String userId;
    private final AtomicLong txn = new AtomicLong();
    private final Thread loop;
    private volatile boolean running = true;

    private EchoBot(URI homeserver, HttpClient http, String accessToken, String userId) {
        this.homeserver = homeserver;
        this.http = http;
        this.accessToken = accessToken;
        this.userId = userId;
        this.loop = Thread.ofVirtual().name("echo-bot " + userId).unstarted(this::run);
    }

    /**
     * Logs in as {@code user} with {@code password} and starts answering. Messages sent before
     * the bot started are not answered.
     *
     * @throws IOException if the login fails
     */
    public static EchoBot start(URI homeserver, String user, String password) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ObjectNode login = JSON.createObjectNode().put("type", "m.login.password").put("password", password);
        login.putObject("identifier").put("type", "m.id.user").put("user", user);
        JsonNode session = call(http, HttpRequest.newBuilder(homeserver.resolve("/_matrix/client/v3/login"))
                .POST(HttpRequest.BodyPublishers.ofString(login.toString())), null);
        EchoBot bot = new EchoBot(homeserver, http, session.get("access_token").asText(), session.get("user_id").asText());
        bot.loop.start();
        return bot;
    }

    /** The bot's user id. */
    public String userId() {
        return userId;
    }

    private void run() {
        String since = null;
        while (running) {
            try {
                // the first sync only finds the position: old messages are not answered
                String path = "/_matrix/client/v3/sync?timeout=" + (since == null ? 0 : SYNC_TIMEOUT.toMillis())
                        + (since == null ? "" : "&since=" + encode(since));
                JsonNode sync = get(path);
                if (since != null) {
                    handle(sync.path("rooms"));
                } else {
                    joinInvites(sync.path("rooms"));
                }
                since = sync.path("next_batch").asText();
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!running) {
                    return;
                }
                System.err.println("echo-bot: " + e.getMessage() + "; retrying");
                try {
                    Thread.sleep(RETRY_DELAY);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private void handle(JsonNode rooms) throws IOException, InterruptedException {
        joinInvites(rooms);
        for (Iterator<Map.Entry<String, JsonNode>> it = rooms.path("join").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> room = it.next();
            for (JsonNode event : room.getValue().path("timeline").path("events")) {
                if (event.path("type").asText().equals("m.room.message")
                        && event.path("content").path("msgtype").asText().equals("m.text")
                        && !event.path("sender").asText().equals(userId)) {
                    reply(room.getKey(), "echo: " + event.path("content").path("body").asText());
                }
            }
        }
    }

    private void joinInvites(JsonNode rooms) throws IOException, InterruptedException {
        for (Iterator<String> it = rooms.path("invite").fieldNames(); it.hasNext(); ) {
            post("/_matrix/client/v3/join/" + encode(it.next()), "{}");
        }
    }

    private void reply(String roomId, String text) throws IOException, InterruptedException {
        ObjectNode content = JSON.createObjectNode().put("msgtype", "m.text").put("body", text);
        String path = "/_matrix/client/v3/rooms/" + encode(roomId) + "/send/m.room.message/echo" + txn.incrementAndGet();
        call(http, HttpRequest.newBuilder(homeserver.resolve(path))
                .PUT(HttpRequest.BodyPublishers.ofString(content.toString())), accessToken);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return call(http, HttpRequest.newBuilder(homeserver.resolve(path)).GET(), accessToken);
    }

    private JsonNode post(String path, String body) throws IOException, InterruptedException {
        return call(http, HttpRequest.newBuilder(homeserver.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body)),
                accessToken);
    }

    private static JsonNode call(HttpClient http, HttpRequest.Builder request, String token)
            throws IOException, InterruptedException {
        request.header("Content-Type", "application/json").timeout(SYNC_TIMEOUT.plusSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(response.request().method() + " " + response.uri().getPath() + " failed: HTTP "
                    + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Blocks until the bot stops, which only {@link #close()} (from another thread) makes it do. */
    public void awaitStop() throws InterruptedException {
        loop.join();
    }

    /** Stops syncing and waits for the loop to end. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        loop.interrupt();
        loop.join(Duration.ofSeconds(10));
        http.close();
    }
}
