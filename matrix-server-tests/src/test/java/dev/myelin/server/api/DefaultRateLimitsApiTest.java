package dev.myelin.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each rate-limited action at its default limit: a burst of exactly {@code burst_count} requests
 * passes, the next one is answered 429 {@code M_LIMIT_EXCEEDED} with the time one request takes
 * to refill, and after that time on the clock a request passes again. An empty mapping in the
 * config (the test kit otherwise lifts every limit) means "the default".
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "rc_message", value = "{}")
@OverrideConfig(key = "rc_room_creation", value = "{}")
@OverrideConfig(key = "rc_media_create", value = "{}")
@OverrideConfig(key = "rc_reports", value = "{}")
@OverrideConfig(key = "rc_presence", value = "{}")
@OverrideConfig(key = "rc_to_device", value = "{}")
@OverrideConfig(key = "rc_typing", value = "{}")
class DefaultRateLimitsApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * Sends {@code burst} requests (numbered from 0), all accepted, then one more that is refused
     * for exactly {@code refillMs}; after {@code refillMs} on the clock one more is accepted.
     */
    private static void assertBurstThenLimited(
            TestHomeserver hs, int burst, long refillMs, IntFunction<TestResponse> request) {
        for (int i = 0; i < burst; i++) {
            TestResponse ok = request.apply(i);
            assertThat(ok.status())
                    .as("request %d of the burst: %s", i, ok.body())
                    .isEqualTo(200);
        }
        TestResponse limited = request.apply(burst);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.errcode()).isEqualTo("M_LIMIT_EXCEEDED");
        assertThat(limited.json().get("retry_after_ms").asLong()).isEqualTo(refillMs);
        hs.clock().advance(Duration.ofMillis(refillMs - 1));
        assertThat(request.apply(burst + 1).status()).isEqualTo(429);
        hs.clock().advance(Duration.ofMillis(1));
        assertThat(request.apply(burst + 2).status()).isEqualTo(200);
    }

    private static ObjectNode json(String key, String value) {
        return NODES.objectNode().put(key, value);
    }

    @Test
    void roomCreationAndUpgradesShareRcRoomCreation(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        // the first of the burst of 10 made the room above
        assertBurstThenLimited(hs, 9, 62_500, i -> alice.post("/_matrix/client/v3/createRoom", NODES.objectNode()));
        // an upgrade creates a room too
        assertThat(alice.post(
                                "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/upgrade",
                                json("new_version", "10"))
                        .errcode())
                .isEqualTo("M_LIMIT_EXCEEDED");
        assertThat(hs.registerUser("bob")
                        .post("/_matrix/client/v3/createRoom", NODES.objectNode())
                        .status())
                .as("the bucket is per user")
                .isEqualTo(200);
    }

    @Test
    void stateEventsCountAsMessages(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String state = "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/state/m.room.topic/";
        assertBurstThenLimited(hs, 10, 5_000, i -> alice.put(state, json("topic", "topic " + i)));
        TestResponse send = alice.put(
                "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/send/m.room.message/t1",
                json("body", "hi").put("msgtype", "m.text"));
        assertThat(send.errcode()).as("sends share the bucket").isEqualTo("M_LIMIT_EXCEEDED");
    }

    @Test
    void profileChangesCountAsMessages(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String profile = "/_matrix/client/v3/profile/" + TestClient.encode(alice.userId());
        assertBurstThenLimited(
                hs,
                10,
                5_000,
                i -> i % 2 == 0
                        ? alice.put(profile + "/displayname", json("displayname", "Alice " + i))
                        : alice.put(profile + "/avatar_url", json("avatar_url", "mxc://test.local/a" + i)));
    }

    @Test
    void mediaUploadsAndCreatesShareRcMediaCreate(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        assertBurstThenLimited(hs, 50, 100, i -> alice.post("/_matrix/media/v3/upload", "{\"n\":" + i + "}"));
        TestResponse ok = alice.post("/_matrix/media/v1/create", null);
        assertThat(ok.status()).isEqualTo(429);
        assertThat(ok.errcode()).isEqualTo("M_LIMIT_EXCEEDED");
    }

    @Test
    void reportsAreLimitedByRcReports(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String event = alice.sendMessage(room, "spam");
        String base = "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/report";
        assertBurstThenLimited(
                hs,
                5,
                1_000,
                i -> i % 2 == 0
                        ? alice.post(base + "/" + TestClient.encode(event), json("reason", "spam " + i))
                        : alice.post(base, json("reason", "spam " + i)));
    }

    @Test
    void presenceIsLimitedByRcPresencePerUser(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String path = "/_matrix/client/v3/presence/" + TestClient.encode(alice.userId()) + "/status";
        assertBurstThenLimited(
                hs, 1, 10_000, i -> alice.put(path, json("presence", i % 2 == 0 ? "online" : "unavailable")));
    }

    @Test
    void toDeviceMessagesAreLimitedByRcToDevice(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        ObjectNode body = NODES.objectNode();
        body.putObject("messages")
                .putObject(alice.userId())
                .putObject(alice.deviceId())
                .put("hello", "there");
        assertBurstThenLimited(hs, 50, 200, i -> alice.put("/_matrix/client/v3/sendToDevice/m.test/txn" + i, body));
    }

    @Test
    void typingIsLimitedByRcTyping(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String path =
                "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/typing/" + TestClient.encode(alice.userId());
        assertBurstThenLimited(
                hs,
                20,
                1_000,
                i -> alice.put(
                        path, NODES.objectNode().put("typing", i % 2 == 0).put("timeout", 1000)));
    }
}
