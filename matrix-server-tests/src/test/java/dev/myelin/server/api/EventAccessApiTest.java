package dev.myelin.server.api;

import static dev.myelin.server.api.SyncApiTest.assertError;
import static dev.myelin.testing.TestClient.encode;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Single events: who may read one, and which room a redaction may name it from. */
@ExtendWith(HomeserverExtension.class)
class EventAccessApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String V3 = "/_matrix/client/v3";

    private static String event(String room, String eventId) {
        return V3 + "/rooms/" + encode(room) + "/event/" + encode(eventId);
    }

    @Test
    void anEventOfARoomOneMayNotReadIsNotFound(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient eve = hs.registerUser("eve");
        String room = alice.createRoom(NODES.objectNode().put("preset", "private_chat"));
        String message = alice.sendMessage(room, "private");

        alice.get(event(room, message)).expect(200);
        // the same answer as for an event that does not exist, so nothing is given away
        assertError(eve.get(event(room, message)), 404, "M_NOT_FOUND");
        assertError(eve.get(event(room, "$nothing")), 404, "M_NOT_FOUND");
        assertError(eve.get(event("!unknown:test.local", message)), 404, "M_NOT_FOUND");
    }

    @Test
    void aRedactionCannotNameAnEventOfAnotherRoom(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String alicesRoom = alice.createRoom(null);
        String bobsRoom = bob.createRoom(null);
        String message = alice.sendMessage(alicesRoom, "mine");

        assertError(
                bob.put(V3 + "/rooms/" + encode(bobsRoom) + "/redact/" + encode(message) + "/t1", NODES.objectNode()),
                400,
                "M_INVALID_PARAM");
        alice.get(event(alicesRoom, message)).expect(200);
    }
}
