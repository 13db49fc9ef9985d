package dev.myelin.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Matrix client of a {@link TestHomeserver}, optionally logged in. Requests go through the real
 * HTTP stack (Jetty's in-memory connector), so tests see exactly what a client over the network
 * would.
 */
public final class TestClient {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final TestHomeserver server;
    private final Optional<String> accessToken;
    private final String userId;
    private final String deviceId;
    private final AtomicLong txn = new AtomicLong();

    TestClient(TestHomeserver server, Optional<String> accessToken, String userId, String deviceId) {
        this.server = server;
        this.accessToken = accessToken;
        this.userId = userId;
        this.deviceId = deviceId;
    }

    public Optional<String> accessToken() {
        return accessToken;
    }

    /** The logged-in user's id, or null for an anonymous client. */
    public String userId() {
        return userId;
    }

    public String deviceId() {
        return deviceId;
    }

    /** Sends a request with this client's token; {@code body} may be null, a JSON node, or a raw string. */
    public TestResponse request(String method, String path, Object body) {
        return server.request(method, path, body, accessToken);
    }

    public TestResponse get(String path) {
        return request("GET", path, null);
    }

    public TestResponse post(String path, Object body) {
        return request("POST", path, body);
    }

    public TestResponse put(String path, Object body) {
        return request("PUT", path, body);
    }

    /** Creates a room and returns its id; {@code body} may be null. */
    public String createRoom(ObjectNode body) {
        return post("/_matrix/client/v3/createRoom", body == null ? NODES.objectNode() : body)
                .expect(200).json().get("room_id").asText();
    }

    public String sendMessage(String roomId, String text) {
        ObjectNode content = NODES.objectNode().put("msgtype", "m.text").put("body", text);
        return sendEvent(roomId, "m.room.message", content);
    }

    public String sendEvent(String roomId, String type, ObjectNode content) {
        return put("/_matrix/client/v3/rooms/" + encode(roomId) + "/send/" + encode(type) + "/t" + txn.incrementAndGet(),
                content).expect(200).json().get("event_id").asText();
    }

    public String sendState(String roomId, String type, String stateKey, ObjectNode content) {
        return put("/_matrix/client/v3/rooms/" + encode(roomId) + "/state/" + encode(type) + "/" + encode(stateKey),
                content).expect(200).json().get("event_id").asText();
    }

    public TestResponse join(String roomIdOrAlias) {
        return post("/_matrix/client/v3/join/" + encode(roomIdOrAlias), NODES.objectNode());
    }

    public TestResponse invite(String roomId, String user) {
        return post("/_matrix/client/v3/rooms/" + encode(roomId) + "/invite", NODES.objectNode().put("user_id", user));
    }

    /** One {@code /sync} call; {@code since} may be null. {@code params} are extra query parameters. */
    public JsonNode sync(String since, Map<String, String> params) {
        StringBuilder path = new StringBuilder("/_matrix/client/v3/sync?timeout=0");
        if (since != null) {
            path.append("&since=").append(encode(since));
        }
        params.forEach((k, v) -> path.append('&').append(encode(k)).append('=').append(encode(v)));
        return get(path.toString()).expect(200).json();
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
