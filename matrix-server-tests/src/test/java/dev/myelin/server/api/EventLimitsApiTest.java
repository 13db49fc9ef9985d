package dev.myelin.server.api;

import static dev.myelin.server.api.SyncApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a client may put into an event: content canonical JSON can represent (400
 * {@code M_BAD_JSON} naming the value otherwise) and an event within the spec's size limits
 * (413 {@code M_TOO_LARGE} otherwise), on every route that creates events, and nothing stored
 * when it is refused.
 */
@ExtendWith(HomeserverExtension.class)
class EventLimitsApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String V3 = "/_matrix/client/v3";
    /** More than a PDU may be, once it is content. */
    private static final String HUGE = "x".repeat(70_000);

    private static String send(String room, String type, String txn) {
        return V3 + "/rooms/" + TestClient.encode(room) + "/send/" + TestClient.encode(type) + "/" + txn;
    }

    private static String state(String room, String type, String key) {
        return V3 + "/rooms/" + TestClient.encode(room) + "/state/" + TestClient.encode(type) + "/"
                + TestClient.encode(key);
    }

    private static void assertBadJson(TestResponse response, String named) {
        assertError(response, 400, "M_BAD_JSON");
        assertThat(response.json().get("error").asText()).as(response.body()).contains("'" + named + "'");
    }

    private static int timelineSize(TestClient client, String room) {
        return client.messages(room, 100).size();
    }

    @Test
    void contentThatCanonicalJsonCannotRepresentIsBadJsonNamingTheValue(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        int before = timelineSize(alice, room);

        assertBadJson(alice.put(send(room, "m.example", "t1"), "{\"foo\":1.5}"), "content.foo");
        assertBadJson(alice.put(send(room, "m.example", "t2"), "{\"a\":[{\"b\":2.0}]}"), "content.a[0].b");
        assertBadJson(alice.put(send(room, "m.example", "t3"), "{\"foo\":9007199254740992}"), "content.foo");
        assertBadJson(alice.put(send(room, "m.example", "t4"), "{\"foo\":-9007199254740992}"), "content.foo");
        assertBadJson(
                alice.put(send(room, "m.example", "t5"), "{\"foo\":123456789012345678901234567890}"), "content.foo");
        assertBadJson(alice.put(send(room, "m.example", "t6"), "{\"foo\":1e99999999}"), "foo");
        assertBadJson(alice.put(send(room, "m.example", "t7"), "{\"foo\":\"a\\ud800\"}"), "foo");
        assertError(alice.put(send(room, "m.example", "t8"), "{\"\\ud800\":1}"), 400, "M_NOT_JSON");
        assertBadJson(alice.put(state(room, "m.example", ""), "{\"foo\":1.5}"), "content.foo");
        assertBadJson(alice.put(state(room, "m.example", ""), "{\"foo\":\"\\udc00\"}"), "foo");
        assertBadJson(alice.put(state(room, "m.example", ""), "{\"foo\":-1e99999999}"), "foo");
        assertThat(timelineSize(alice, room)).isEqualTo(before);

        // The limits themselves and paired surrogates are fine.
        alice.put(
                        send(room, "m.example", "ok"),
                        "{\"max\":9007199254740991,\"min\":-9007199254740991," + "\"e\":\"\\ud83d\\ude00\"}")
                .expect(200);
        JsonNode sent = alice.messages(room, 1).getFirst().content();
        assertThat(sent.get("max").asLong()).isEqualTo(9007199254740991L);
        assertThat(sent.get("e").asText()).isEqualTo("\ud83d\ude00");
    }

    @Test
    void createRoomRefusesUnrepresentableContentBeforeTheRoomExists(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");

        assertBadJson(alice.post(V3 + "/createRoom", "{\"creation_content\":{\"x\":1.5}}"), "content.x");
        assertBadJson(
                alice.post(V3 + "/createRoom", "{\"power_level_content_override\":{\"ban\":1.5}}"), "content.ban");
        assertBadJson(
                alice.post(
                        V3 + "/createRoom",
                        "{\"initial_state\":[{\"type\":\"m.example\",\"state_key\":\"\",\"content\":{\"n\":"
                                + "9007199254740992}}]}"),
                "content.n");
        assertBadJson(alice.post(V3 + "/createRoom", "{\"name\":\"\\ud800\"}"), "name");
        assertThat(joinedRooms(alice)).isEmpty();
    }

    @Test
    void eventsOverTheSizeLimitAreTooLargeAndNotStored(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        int before = timelineSize(alice, room);
        ObjectNode huge = NODES.objectNode().put("body", HUGE);

        assertError(alice.put(send(room, "m.room.message", "big"), huge), 413, "M_TOO_LARGE");
        assertError(alice.put(state(room, "m.example", ""), huge), 413, "M_TOO_LARGE");
        String target = alice.sendMessage(room, "to redact");
        before++;
        assertError(
                alice.put(
                        V3 + "/rooms/" + TestClient.encode(room) + "/redact/" + TestClient.encode(target) + "/r1",
                        NODES.objectNode().put("reason", HUGE)),
                413,
                "M_TOO_LARGE");
        TestClient bob = hs.registerUser("bob");
        assertError(
                alice.post(
                        V3 + "/rooms/" + TestClient.encode(room) + "/invite",
                        NODES.objectNode().put("user_id", bob.userId()).put("reason", HUGE)),
                413,
                "M_TOO_LARGE");
        assertThat(timelineSize(alice, room)).isEqualTo(before);

        // Just under the limit is accepted.
        alice.put(send(room, "m.room.message", "fits"), NODES.objectNode().put("body", "x".repeat(60_000)))
                .expect(200);
    }

    @Test
    void typesAndStateKeysOver255BytesAreTooLarge(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        int before = timelineSize(alice, room);

        assertError(alice.put(send(room, "t".repeat(256), "t1"), "{}"), 413, "M_TOO_LARGE");
        assertError(alice.put(send(room, "t".repeat(7000), "t2"), "{}"), 413, "M_TOO_LARGE");
        // 128 two-byte characters: 128 characters, 256 bytes.
        assertError(alice.put(state(room, "m.example", "é".repeat(128)), "{}"), 413, "M_TOO_LARGE");
        assertError(alice.put(state(room, "m.example", "k".repeat(7000)), "{}"), 413, "M_TOO_LARGE");
        assertError(alice.put(state(room, "e".repeat(256), ""), "{}"), 413, "M_TOO_LARGE");
        assertThat(timelineSize(alice, room)).isEqualTo(before);

        alice.put(send(room, "t".repeat(255), "ok"), "{}").expect(200);
        alice.put(state(room, "m.example", "k".repeat(255)), "{}").expect(200);
    }

    @Test
    void createRoomWithAnOversizedInitialEventFailsBeforeTheRoomExists(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        List<ObjectNode> bodies = List.of(
                NODES.objectNode().put("name", HUGE),
                NODES.objectNode().put("topic", HUGE),
                bodyWith("creation_content", NODES.objectNode().put("x", HUGE)),
                bodyWith("power_level_content_override", NODES.objectNode().put("x", HUGE)),
                bodyWith(
                        "initial_state",
                        NODES.arrayNode()
                                .add(NODES.objectNode()
                                        .put("type", "m.example")
                                        .put("state_key", "")
                                        .set("content", NODES.objectNode().put("x", HUGE)))),
                bodyWith(
                        "initial_state",
                        NODES.arrayNode()
                                .add(NODES.objectNode()
                                        .put("type", "m.example")
                                        .put("state_key", "k".repeat(256))
                                        .set("content", NODES.objectNode()))));
        for (ObjectNode body : bodies) {
            assertError(alice.post(V3 + "/createRoom", body), 413, "M_TOO_LARGE");
        }
        assertThat(joinedRooms(alice)).isEmpty();

        alice.post(V3 + "/createRoom", NODES.objectNode().put("topic", "x".repeat(20_000)))
                .expect(200);
        assertThat(joinedRooms(alice)).hasSize(1);
    }

    private static ObjectNode bodyWith(String field, JsonNode value) {
        ObjectNode body = NODES.objectNode();
        body.set(field, value);
        return body;
    }

    private static List<String> joinedRooms(TestClient client) {
        JsonNode rooms = client.get(V3 + "/joined_rooms").expect(200).json().get("joined_rooms");
        return java.util.stream.StreamSupport.stream(rooms.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }
}
