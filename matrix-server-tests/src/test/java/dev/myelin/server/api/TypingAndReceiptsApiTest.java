package dev.myelin.server.api;

import static dev.myelin.server.api.SyncApiTest.assertError;
import static dev.myelin.server.api.SyncApiTest.json;
import static dev.myelin.server.api.SyncApiTest.longPoll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class TypingAndReceiptsApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void typingStartsStopsAndExpiresOnTheClock(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        Memberships.join(hs, room, bob.userId());
        String since = bob.sync(null, Map.of()).get("next_batch").asText();

        CompletableFuture<TestResponse> poll = longPoll(bob, since, 60_000);
        assertThat(hs.clock().awaitSleepers(1, Duration.ofSeconds(10))).isTrue();
        typing(
                        alice,
                        room,
                        alice.userId(),
                        NODES.objectNode().put("typing", true).put("timeout", 10_000))
                .expect(200);
        JsonNode woken = poll.get(10, TimeUnit.SECONDS).expect(200).json();
        assertThat(woken.at("/rooms/join").has(room)).as(woken.toString()).isTrue();
        assertThat(woken.at("/rooms/join").get(room).at("/ephemeral/events"))
                .isEqualTo(json("[{\"type\":\"m.typing\",\"content\":{\"user_ids\":[\"@alice:test.local\"]}}]"));
        String afterStart = woken.get("next_batch").asText();
        assertThat(bob.sync(afterStart, Map.of()).at("/rooms/join"))
                .as("no change, no typing event")
                .isEmpty();

        hs.clock().advance(Duration.ofSeconds(10));
        JsonNode expired = bob.sync(afterStart, Map.of());
        assertThat(expired.at("/rooms/join").get(room).at("/ephemeral/events"))
                .isEqualTo(json("[{\"type\":\"m.typing\",\"content\":{\"user_ids\":[]}}]"));

        typing(alice, room, alice.userId(), NODES.objectNode().put("typing", true))
                .expect(200);
        String typingAgain = bob.sync(expired.get("next_batch").asText(), Map.of())
                .get("next_batch")
                .asText();
        typing(alice, room, alice.userId(), NODES.objectNode().put("typing", false))
                .expect(200);
        assertThat(bob.sync(typingAgain, Map.of()).at("/rooms/join").get(room).at("/ephemeral/events/0/content"))
                .isEqualTo(json("{\"user_ids\":[]}"));
    }

    @Test
    void typingIsOnlyForYourselfInRoomsYouAreIn(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        assertError(typing(alice, room, bob.userId(), NODES.objectNode().put("typing", true)), 403, "M_FORBIDDEN");
        assertError(typing(bob, room, bob.userId(), NODES.objectNode().put("typing", true)), 403, "M_FORBIDDEN");
        assertError(typing(alice, room, alice.userId(), NODES.objectNode()), 400, "M_MISSING_PARAM");
        assertError(typing(alice, room, alice.userId(), NODES.objectNode().put("typing", "yes")), 400, "M_BAD_JSON");
        assertError(
                typing(
                        alice,
                        room,
                        alice.userId(),
                        NODES.objectNode().put("typing", true).put("timeout", -1)),
                400,
                "M_INVALID_PARAM");
        assertError(
                typing(alice, "not-a-room", alice.userId(), NODES.objectNode().put("typing", true)),
                400,
                "M_INVALID_PARAM");
    }

    @Test
    void receiptsAppearInSyncAndPrivateOnesOnlyForTheirOwner(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        Memberships.join(hs, room, bob.userId());
        String message = alice.sendMessage(room, "read me");
        String bobSince = bob.sync(null, Map.of()).get("next_batch").asText();
        long now = hs.clock().nowMillis();

        receipt(bob, room, "m.read", message, NODES.objectNode()).expect(200);
        receipt(alice, room, "m.read.private", message, NODES.objectNode()).expect(200);
        receipt(alice, room, "m.read", message, NODES.objectNode().put("thread_id", "main"))
                .expect(200);

        JsonNode bobView =
                bob.sync(bobSince, Map.of()).at("/rooms/join").get(room).at("/ephemeral/events");
        assertThat(bobView)
                .isEqualTo(json("[{\"type\":\"m.receipt\",\"content\":{\"" + message + "\":{\"m.read\":{"
                        + "\"@bob:test.local\":{\"ts\":" + now + "},"
                        + "\"@alice:test.local\":{\"ts\":" + now + ",\"thread_id\":\"main\"}}}}}]"));
        JsonNode aliceView = alice.sync(null, Map.of())
                .at("/rooms/join")
                .get(room)
                .at("/ephemeral/events/0/content")
                .get(message);
        assertThat(aliceView.get("m.read.private")).isEqualTo(json("{\"@alice:test.local\":{\"ts\":" + now + "}}"));

        String after = bob.sync(bobSince, Map.of()).get("next_batch").asText();
        assertThat(bob.sync(after, Map.of()).at("/rooms/join"))
                .as("old receipts are not repeated")
                .isEmpty();
    }

    @Test
    void readMarkersSetTheFullyReadMarkerAndReceipts(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String message = alice.sendMessage(room, "read me");
        String since = alice.sync(null, Map.of()).get("next_batch").asText();
        alice.post(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/read_markers",
                        NODES.objectNode().put("m.fully_read", message).put("m.read", message))
                .expect(200);

        JsonNode joined = alice.sync(since, Map.of()).at("/rooms/join").get(room);
        assertThat(joined.at("/account_data/events"))
                .isEqualTo(json("[{\"type\":\"m.fully_read\",\"content\":{\"event_id\":\"" + message + "\"}}]"));
        assertThat(joined.at("/ephemeral/events/0/content")
                        .get(message)
                        .get("m.read")
                        .has(alice.userId()))
                .isTrue();

        receipt(alice, room, "m.fully_read", message, NODES.objectNode()).expect(200);
        assertError(
                receipt(alice, room, "m.fully_read", message, NODES.objectNode().put("thread_id", "main")),
                400,
                "M_INVALID_PARAM");
        assertError(
                receipt(alice, room, "m.read", message, NODES.objectNode().put("thread_id", 4)),
                400,
                "M_INVALID_PARAM");
        assertError(
                receipt(alice, room, "m.read", message, NODES.objectNode().put("thread_id", "")),
                400,
                "M_INVALID_PARAM");
        assertError(receipt(alice, room, "m.seen", message, NODES.objectNode()), 400, "M_INVALID_PARAM");
        assertError(receipt(alice, room, "m.read", "$unknown", NODES.objectNode()), 404, "M_NOT_FOUND");
        assertError(receipt(alice, room, "m.read", "nodollar", NODES.objectNode()), 400, "M_INVALID_PARAM");
        assertError(receipt(hs.registerUser("bob"), room, "m.read", message, NODES.objectNode()), 403, "M_FORBIDDEN");
        assertError(
                alice.post(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/read_markers",
                        NODES.objectNode().put("m.read", 5)),
                400,
                "M_INVALID_PARAM");
    }

    private static TestResponse typing(TestClient client, String room, String user, ObjectNode body) {
        return client.put(
                "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/typing/" + TestClient.encode(user), body);
    }

    @Test
    void receiptsOnlyMoveForwards(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String older = alice.sendMessage(room, "older");
        String newer = alice.sendMessage(room, "newer");
        receipt(alice, room, "m.read", newer, NODES.objectNode()).expect(200);
        receipt(alice, room, "m.read", older, NODES.objectNode()).expect(200);
        receipt(alice, room, "m.read.private", newer, NODES.objectNode()).expect(200);
        receipt(alice, room, "m.read.private", older, NODES.objectNode()).expect(200);
        receipt(alice, room, "m.read", older, NODES.objectNode().put("thread_id", "main"))
                .expect(200);

        JsonNode content =
                alice.sync(null, Map.of()).at("/rooms/join").get(room).at("/ephemeral/events/0/content");
        assertThat(content.at("/" + newer.replace("~", "~0").replace("/", "~1") + "/m.read")
                        .has(alice.userId()))
                .as("an earlier m.read is dropped")
                .isTrue();
        assertThat(content.at("/" + newer.replace("~", "~0").replace("/", "~1") + "/m.read.private")
                        .has(alice.userId()))
                .as("an earlier m.read.private is dropped")
                .isTrue();
        assertThat(content.at("/" + older.replace("~", "~0").replace("/", "~1") + "/m.read/" + alice.userId()
                                + "/thread_id")
                        .asText())
                .as("a threaded receipt is its own")
                .isEqualTo("main");
    }

    private static TestResponse receipt(TestClient client, String room, String type, String event, ObjectNode body) {
        return client.post(
                "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/receipt/" + type + "/"
                        + TestClient.encode(event),
                body);
    }

    @Test
    void typingAndMarkerBodiesAreReadStrictly(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String message = alice.sendMessage(room, "hello");
        assertError(
                typing(
                        alice,
                        room,
                        alice.userId(),
                        NODES.objectNode().put("typing", true).put("timeout", "x")),
                400,
                "M_BAD_JSON");
        assertError(
                alice.put(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/typing/"
                                + TestClient.encode(alice.userId()),
                        "{nope"),
                400,
                "M_NOT_JSON");
        String markers = "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/read_markers";
        assertError(alice.post(markers, NODES.objectNode().put("m.fully_read", "nodollar")), 400, "M_INVALID_PARAM");
        assertError(
                alice.post(markers, NODES.objectNode().put("m.read", message).put("m.read.private", 1)),
                400,
                "M_INVALID_PARAM");
        assertError(alice.post(markers, "{nope"), 400, "M_NOT_JSON");
        receipt(alice, room, "m.read", message, null).expect(200);
        assertError(
                alice.post(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/receipt/m.read/"
                                + TestClient.encode(message),
                        "[1]"),
                400,
                "M_BAD_JSON");
    }
}
