package org.example.echobridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bridge to a pretend network where everyone repeats what they hear. It is a Matrix application
 * service: the homeserver pushes it the events that concern its ghost users (the users
 * {@code @echo_*:<server>} of its namespace), and it acts as those ghosts with its {@code as_token}
 * and the {@code user_id} query parameter.
 *
 * <ul>
 *   <li>A ghost invited to a room joins it, and is registered first if it is new. Inviting
 *       {@code @echo_anyone:<server>} is how a Matrix user starts talking to someone on the network.
 *   <li>Each text message someone else sends in a room where ghosts are joined is answered by each
 *       of them with {@code "echo: <text>"}. A real bridge would forward the message to its network
 *       here, and post what comes back as the ghost of the remote user who said it.
 * </ul>
 *
 * <p>Events are handled before the transaction that carried them is acknowledged: when the
 * homeserver cannot be reached, {@link #onTransaction} throws, the transaction is answered with an
 * error, and the homeserver sends it again later. What the bridge does is idempotent (a join is,
 * and each answer's transaction id is derived from the event it answers), so a transaction handled
 * twice does nothing twice. Which ghosts are in which rooms is learned from the membership events
 * pushed, and kept in memory only.
 *
 * <p>{@link AppServiceServer} serves this over HTTP; {@link #main} runs both.
 *
 * @see <a href="https://spec.matrix.org/v1.19/application-service-api/">Application Service API</a>
 */
public final class EchoBridge implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI homeserver;
    private final String asToken;
    private final String ghostPrefix;
    private final String serverSuffix;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, Set<String>> ghostsByRoom = new ConcurrentHashMap<>();

    /**
     * A bridge calling {@code homeserver} (its client API base URL) with {@code asToken}; its ghosts
     * are the users {@code @<localpartPrefix>...:<serverName>}, which its registration must claim.
     */
    public EchoBridge(URI homeserver, String asToken, String serverName, String localpartPrefix) {
        this.homeserver = homeserver;
        this.asToken = asToken;
        this.ghostPrefix = "@" + localpartPrefix;
        this.serverSuffix = ":" + serverName;
    }

    /**
     * Runs the bridge: the homeserver's URL, the server name, the tokens and the port come from the
     * environment, and must match the registration file the homeserver loads (see README.md).
     */
    public static void main(String[] args) throws IOException {
        EchoBridge bridge =
                new EchoBridge(URI.create(env("HOMESERVER_URL")), env("AS_TOKEN"), env("SERVER_NAME"), "echo_");
        AppServiceServer server = AppServiceServer.start(
                new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getenv().getOrDefault("PORT", "9000"))),
                env("HS_TOKEN"),
                bridge::onTransaction,
                bridge::onUserQuery);
        System.out.println("echo-bridge: listening on " + server.url());
    }

    /**
     * Handles one transaction ({@code PUT /_matrix/app/v1/transactions/{txnId}}): its {@code events}, in order.
     *
     * @throws UncheckedIOException if the homeserver could not be reached or refused a request
     */
    public void onTransaction(JsonNode transaction) {
        for (JsonNode event : transaction.path("events")) {
            handle(event);
        }
    }

    /**
     * Answers a user query ({@code GET /_matrix/app/v1/users/{userId}}): a ghost the homeserver
     * asks about is registered on the spot, so it exists when the answer says so.
     *
     * @return whether the user exists now
     */
    public boolean onUserQuery(String userId) {
        if (!isGhost(userId)) {
            return false;
        }
        register(userId);
        return true;
    }

    private void handle(JsonNode event) {
        String type = event.path("type").asText();
        String room = event.path("room_id").asText();
        String stateKey = event.path("state_key").asText();
        if (type.equals("m.room.member") && isGhost(stateKey)) {
            switch (event.path("content").path("membership").asText()) {
                case "invite" -> {
                    register(stateKey);
                    post("/_matrix/client/v3/rooms/" + encode(room) + "/join", stateKey, "{}");
                }
                case "join" -> ghostsByRoom.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(stateKey);
                case "leave", "ban" -> ghostsByRoom.getOrDefault(room, Set.of()).remove(stateKey);
                default -> {}
            }
        } else if (type.equals("m.room.message")
                && event.path("content").path("msgtype").asText().equals("m.text")
                && !isGhost(event.path("sender").asText())) {
            String answer = "echo: " + event.path("content").path("body").asText();
            for (String ghost : ghostsByRoom.getOrDefault(room, Set.of())) {
                say(room, ghost, answer, event.path("event_id").asText());
            }
        }
    }

    private boolean isGhost(String userId) {
        return userId.startsWith(ghostPrefix) && userId.endsWith(serverSuffix);
    }

    /** Registers the ghost; one registered before (M_USER_IN_USE) is fine. */
    private void register(String ghost) {
        String localpart = ghost.substring(1, ghost.length() - serverSuffix.length());
        ObjectNode body = JSON.createObjectNode()
                .put("type", "m.login.application_service")
                .put("username", localpart)
                .put("inhibit_login", true);
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/_matrix/client/v3/register", null))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        if (response.statusCode() != 200 && !response.body().contains("\"M_USER_IN_USE\"")) {
            throw failure(response);
        }
    }

    /** Sends {@code text} as {@code ghost}, once per answered event: its id makes the transaction id. */
    private void say(String room, String ghost, String text, String answeredEventId) {
        ObjectNode content = JSON.createObjectNode().put("msgtype", "m.text").put("body", text);
        String path = "/_matrix/client/v3/rooms/" + encode(room) + "/send/m.room.message/"
                + encode("echo-" + answeredEventId);
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(url(path, ghost)).PUT(HttpRequest.BodyPublishers.ofString(content.toString())));
        if (response.statusCode() != 200) {
            throw failure(response);
        }
    }

    private void post(String path, String asUser, String body) {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(url(path, asUser)).POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() != 200) {
            throw failure(response);
        }
    }

    /** A URL of the homeserver, acting as {@code asUser} (one of the ghosts) when it is not null. */
    private URI url(String path, String asUser) {
        return homeserver.resolve(path + (asUser == null ? "" : "?user_id=" + encode(asUser)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        request.header("Authorization", "Bearer " + asToken)
                .header("Content-Type", "application/json")
                .timeout(TIMEOUT);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted while calling the homeserver"));
        }
    }

    private static UncheckedIOException failure(HttpResponse<String> response) {
        return new UncheckedIOException(new IOException(response.request().method() + " "
                + response.uri().getPath() + " failed: HTTP " + response.statusCode() + " " + response.body()));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Closes the connections to the homeserver. */
    @Override
    public void close() {
        http.close();
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("set the environment variable " + name);
        }
        return value;
    }
}
