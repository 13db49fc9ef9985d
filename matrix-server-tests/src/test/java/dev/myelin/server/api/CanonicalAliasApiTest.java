package dev.myelin.server.api;

import static dev.myelin.server.api.SyncApiTest.assertError;
import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code m.room.canonical_alias}: only aliases that lead to the room, and deleted aliases leave it. */
@ExtendWith(HomeserverExtension.class)
class CanonicalAliasApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V3 = "/_matrix/client/v3";

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String canonical(String room) {
        return V3 + "/rooms/" + encode(room) + "/state/m.room.canonical_alias/";
    }

    @Test
    void aliasesMustBeWellFormedAndPointToTheRoom(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(json("{\"room_alias_name\":\"lobby\"}"));
        String other = alice.createRoom(json("{\"room_alias_name\":\"elsewhere\"}"));

        alice.put(canonical(room), json("{\"alias\":\"#lobby:test.local\",\"alt_aliases\":[\"#lobby:test.local\"]}"))
                .expect(200);

        assertError(alice.put(canonical(room), json("{\"alias\":\"#missing:test.local\"}")), 400, "M_BAD_ALIAS");
        assertError(alice.put(canonical(room), json("{\"alias\":\"%lobby:test.local\"}")), 400, "M_INVALID_PARAM");
        assertError(alice.put(canonical(room), json("{\"alias\":5}")), 400, "M_INVALID_PARAM");
        assertError(
                alice.put(
                        canonical(room),
                        json("{\"alias\":\"#lobby:test.local\",\"alt_aliases\":[\"#missing:test.local\"]}")),
                400,
                "M_BAD_ALIAS");
        assertError(
                alice.put(canonical(room), json("{\"alias\":\"#lobby:test.local\",\"alt_aliases\":[\"lobby\"]}")),
                400,
                "M_INVALID_PARAM");
        assertError(
                alice.put(
                        canonical(room),
                        json("{\"alias\":\"#lobby:test.local\",\"alt_aliases\":\"#lobby:test.local\"}")),
                400,
                "M_INVALID_PARAM");
        assertError(alice.put(canonical(room), json("{\"alias\":\"#elsewhere:test.local\"}")), 400, "M_BAD_ALIAS");
        assertError(
                alice.put(canonical(room), json("{\"alt_aliases\":[\"#lobby:elsewhere.example\"]}")),
                400,
                "M_BAD_ALIAS");
        assertThat(alice.get(canonical(other)).expect(200).json())
                .isEqualTo(json("{\"alias\":\"#elsewhere:test.local\"}"));

        // removing aliases is always allowed
        alice.put(canonical(room), json("{}")).expect(200);
        assertThat(alice.get(canonical(room)).expect(200).json()).isEqualTo(json("{}"));
    }

    @Test
    void deletingAnAliasTakesItOutOfTheCanonicalAlias(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(json("{\"room_alias_name\":\"lobby\"}"));
        alice.put(V3 + "/directory/room/" + encode("#hall:test.local"), json("{\"room_id\":\"" + room + "\"}"))
                .expect(200);
        alice.put(canonical(room), json("{\"alias\":\"#lobby:test.local\",\"alt_aliases\":[\"#hall:test.local\"]}"))
                .expect(200);

        alice.request("DELETE", V3 + "/directory/room/" + encode("#lobby:test.local"), null)
                .expect(200);
        assertThat(alice.get(canonical(room)).expect(200).json())
                .isEqualTo(json("{\"alt_aliases\":[\"#hall:test.local\"]}"));

        alice.request("DELETE", V3 + "/directory/room/" + encode("#hall:test.local"), null)
                .expect(200);
        assertThat(alice.get(canonical(room)).expect(200).json()).isEqualTo(json("{}"));
    }

    @Test
    void anAliasCreatorWithoutPowerStillDeletesTheAlias(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(json("{\"preset\":\"public_chat\"}"));
        bob.join(room).expect(200);
        bob.put(V3 + "/directory/room/" + encode("#bobs:test.local"), json("{\"room_id\":\"" + room + "\"}"))
                .expect(200);
        alice.put(canonical(room), json("{\"alias\":\"#bobs:test.local\"}")).expect(200);

        bob.request("DELETE", V3 + "/directory/room/" + encode("#bobs:test.local"), null)
                .expect(200);

        alice.get(V3 + "/directory/room/" + encode("#bobs:test.local")).expect(404);
        // bob may not send the canonical alias, so it keeps naming the alias
        assertThat(alice.get(canonical(room)).expect(200).json()).isEqualTo(json("{\"alias\":\"#bobs:test.local\"}"));
    }
}
