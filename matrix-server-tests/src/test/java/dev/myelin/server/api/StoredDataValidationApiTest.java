package dev.myelin.server.api;

import static dev.myelin.server.api.SyncApiTest.assertError;
import static dev.myelin.server.api.SyncApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Data a client stores outside events is refused when no store could keep it as sent: account
 * data with a lone surrogate or an overflowing number, room account data and tags for a room id
 * that is not one, a receipt's thread id that is neither {@code main} nor an event id, and read
 * markers for a room the user is not in; in each case nothing is stored.
 */
@ExtendWith(HomeserverExtension.class)
class StoredDataValidationApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String V3 = "/_matrix/client/v3";

    @Test
    void accountDataThatCannotBeStoredAsSentIsBadJson(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String user = TestClient.encode(alice.userId());
        String global = V3 + "/user/" + user + "/account_data/org.example.data";
        String room = alice.createRoom(null);
        String perRoom = V3 + "/user/" + user + "/rooms/" + TestClient.encode(room) + "/account_data/org.example.data";
        String tag = V3 + "/user/" + user + "/rooms/" + TestClient.encode(room) + "/tags/u.work";

        for (String path : new String[] {global, perRoom, tag}) {
            assertError(alice.put(path, "{\"s\":\"a\\ud800b\"}"), 400, "M_BAD_JSON");
            assertError(alice.put(path, "{\"n\":1e99999999}"), 400, "M_BAD_JSON");
            assertError(alice.put(path, "{\"deep\":[{\"n\":-1e99999999}]}"), 400, "M_BAD_JSON");
            assertError(alice.put(path, "{\"\\udc00\":1}"), 400, "M_NOT_JSON");
        }
        assertThat(alice.put(global, "{\"n\":1e99999999}").json().get("error").asText())
                .isEqualTo("'n' is a number too large to represent");
        assertError(alice.get(global), 404, "M_NOT_FOUND");
        assertError(alice.get(perRoom), 404, "M_NOT_FOUND");
        assertThat(alice.get(V3 + "/user/" + user + "/rooms/" + TestClient.encode(room) + "/tags")
                        .expect(200)
                        .json())
                .isEqualTo(json("{\"tags\":{}}"));

        // Fractions are legal outside events (a tag's order is one), and so are paired surrogates.
        alice.put(global, "{\"f\":0.25,\"e\":\"\\ud83d\\ude00\"}").expect(200);
        assertThat(alice.get(global).expect(200).json()).isEqualTo(json("{\"f\":0.25,\"e\":\"\ud83d\ude00\"}"));
    }

    @Test
    void roomAccountDataAndTagsNeedAWellFormedRoomId(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String user = TestClient.encode(alice.userId());
        for (String bad :
                new String[] {"!abc", "abc:test.local", "!abc:bad host", "!" + "a".repeat(300) + ":test.local"}) {
            String base = V3 + "/user/" + user + "/rooms/" + TestClient.encode(bad);
            assertError(alice.put(base + "/account_data/org.example.data", NODES.objectNode()), 400, "M_INVALID_PARAM");
            assertError(alice.put(base + "/tags/u.work", NODES.objectNode()), 400, "M_INVALID_PARAM");
            assertError(alice.get(base + "/tags"), 400, "M_INVALID_PARAM");
        }
    }

    @Test
    void receiptThreadIdMustBeMainOrAnEventId(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String event = alice.sendMessage(room, "hello");
        String receipt = V3 + "/rooms/" + TestClient.encode(room) + "/receipt/m.read/" + TestClient.encode(event);

        assertError(
                alice.post(receipt, NODES.objectNode().put("thread_id", "$" + "x".repeat(1_000_000))),
                400,
                "M_INVALID_PARAM");
        assertError(alice.post(receipt, NODES.objectNode().put("thread_id", "not a thread")), 400, "M_INVALID_PARAM");
        assertError(
                alice.post(receipt, NODES.objectNode().put("thread_id", "!room:test.local")), 400, "M_INVALID_PARAM");
        assertThat(alice.sync(null, java.util.Map.of())
                        .at("/rooms/join")
                        .get(room)
                        .at("/ephemeral/events")
                        .size())
                .isZero();

        alice.post(receipt, NODES.objectNode().put("thread_id", event)).expect(200);
        alice.post(receipt, NODES.objectNode().put("thread_id", "main")).expect(200);
    }

    @Test
    void readMarkersAreForbiddenOutsideAJoinedRoomEvenWhenEmpty(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);

        assertError(
                alice.post(V3 + "/rooms/" + TestClient.encode("!nosuchroom:test.local") + "/read_markers", "{}"),
                403,
                "M_FORBIDDEN");
        assertError(bob.post(V3 + "/rooms/" + TestClient.encode(room) + "/read_markers", "{}"), 403, "M_FORBIDDEN");
        assertError(
                alice.post(V3 + "/rooms/" + TestClient.encode("!abc") + "/read_markers", "{}"), 400, "M_INVALID_PARAM");
        alice.post(V3 + "/rooms/" + TestClient.encode(room) + "/read_markers", "{}")
                .expect(200);
    }
}
