package dev.myelin.server.api;

import static dev.myelin.server.api.SyncApiTest.assertError;
import static dev.myelin.server.api.SyncApiTest.json;
import static dev.myelin.server.api.SyncApiTest.longPoll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
class AccountDataApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void globalAccountDataIsStoredReadAndSynced(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        String path =
                "/_matrix/client/v3/user/" + TestClient.encode(alice.userId()) + "/account_data/org.example.theme";
        assertError(alice.get(path), 404, "M_NOT_FOUND");
        String since = alice.sync(null, Map.of()).get("next_batch").asText();

        CompletableFuture<TestResponse> poll = longPoll(alice, since, 60_000);
        assertThat(hs.clock().awaitSleepers(1, Duration.ofSeconds(10))).isTrue();
        alice.put(path, NODES.objectNode().put("dark", true)).expect(200);
        JsonNode woken = poll.get(10, TimeUnit.SECONDS).expect(200).json();
        assertThat(woken.get("account_data"))
                .isEqualTo(json("{\"events\":[{\"type\":\"org.example.theme\",\"content\":{\"dark\":true}}]}"));
        assertThat(alice.get(path).expect(200).json()).isEqualTo(json("{\"dark\":true}"));

        alice.put(path, NODES.objectNode().put("dark", false)).expect(200);
        assertThat(alice.sync(woken.get("next_batch").asText(), Map.of()).get("account_data"))
                .isEqualTo(json("{\"events\":[{\"type\":\"org.example.theme\",\"content\":{\"dark\":false}}]}"));
        assertThat(alice.sync(
                                null,
                                Map.of(
                                        "filter",
                                        "{\"account_data\":{\"not_types\":[\"org.example.*\",\"m.push_rules\"]}}"))
                        .get("account_data"))
                .isEqualTo(json("{\"events\":[]}"));
    }

    @Test
    void roomAccountDataAndTagsAppearUnderTheRoom(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String user = TestClient.encode(alice.userId());
        String roomPath = "/_matrix/client/v3/user/" + user + "/rooms/" + TestClient.encode(room);
        String since = alice.sync(null, Map.of()).get("next_batch").asText();

        alice.put(
                        roomPath + "/account_data/org.example.draft",
                        NODES.objectNode().put("text", "hi"))
                .expect(200);
        alice.put(roomPath + "/tags/m.favourite", NODES.objectNode().put("order", 0.5))
                .expect(200);
        alice.put(roomPath + "/tags/u.work", NODES.objectNode()).expect(200);
        assertThat(alice.get(roomPath + "/tags").expect(200).json())
                .isEqualTo(json("{\"tags\":{\"m.favourite\":{\"order\":0.5},\"u.work\":{}}}"));
        assertThat(alice.get(roomPath + "/account_data/org.example.draft")
                        .expect(200)
                        .json())
                .isEqualTo(json("{\"text\":\"hi\"}"));

        JsonNode joined = alice.sync(since, Map.of()).at("/rooms/join").get(room);
        assertThat(joined.at("/account_data/events"))
                .isEqualTo(json("[{\"type\":\"org.example.draft\","
                        + "\"content\":{\"text\":\"hi\"}},{\"type\":\"m.tag\",\"content\":{\"tags\":"
                        + "{\"m.favourite\":{\"order\":0.5},\"u.work\":{}}}}]"));

        alice.request("DELETE", roomPath + "/tags/u.work", null).expect(200);
        assertThat(alice.get(roomPath + "/tags").expect(200).json())
                .isEqualTo(json("{\"tags\":{\"m.favourite\":{\"order\":0.5}}}"));
        alice.request("DELETE", roomPath + "/tags/never-set", null).expect(200);
    }

    @Test
    void refusesOtherUsersDataServerManagedTypesAndBadBodies(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        String alicePath = "/_matrix/client/v3/user/" + TestClient.encode(alice.userId());
        alice.put(alicePath + "/account_data/org.example", NODES.objectNode()).expect(200);

        assertError(bob.get(alicePath + "/account_data/org.example"), 403, "M_FORBIDDEN");
        assertError(bob.put(alicePath + "/account_data/org.example", NODES.objectNode()), 403, "M_FORBIDDEN");
        String roomPath = alicePath + "/rooms/" + TestClient.encode(room);
        assertError(bob.get(roomPath + "/account_data/org.example"), 403, "M_FORBIDDEN");
        assertError(bob.get(roomPath + "/tags"), 403, "M_FORBIDDEN");
        assertError(bob.put(roomPath + "/tags/u.x", NODES.objectNode()), 403, "M_FORBIDDEN");
        assertError(bob.request("DELETE", roomPath + "/tags/u.x", null), 403, "M_FORBIDDEN");

        assertError(alice.put(alicePath + "/account_data/m.push_rules", NODES.objectNode()), 405, "M_BAD_JSON");
        assertError(alice.put(roomPath + "/account_data/m.fully_read", NODES.objectNode()), 405, "M_BAD_JSON");
        assertError(alice.put(alicePath + "/account_data/org.example", "[1]"), 400, "M_BAD_JSON");
        assertError(alice.put(alicePath + "/account_data/org.example", "{nope"), 400, "M_NOT_JSON");
        assertError(alice.get(roomPath + "/account_data/org.unset"), 404, "M_NOT_FOUND");
        assertError(alice.put(roomPath + "/tags/u.x", NODES.objectNode().put("order", "first")), 400, "M_BAD_JSON");
        assertError(alice.get(alicePath + "/rooms/nope/tags"), 400, "M_INVALID_PARAM");
        assertError(alice.get("/_matrix/client/v3/user/nope/account_data/x"), 400, "M_INVALID_PARAM");
    }
}
