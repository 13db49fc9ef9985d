package dev.myelin.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestFederation;
import dev.myelin.testing.TestResponse;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bans of another server's users, and a room upgraded on one server as another server sees it. */
class FederatedModerationTest {
    private static final String V3 = "/_matrix/client/v3";
    private TestFederation federation;
    private TestClient alice;
    private TestClient bob;

    @BeforeEach
    void start() {
        federation = TestFederation.start("a.test", "b.test");
        alice = federation.server("a.test").registerUser("alice");
        bob = federation.server("b.test").registerUser("bob");
    }

    @AfterEach
    void stop() {
        federation.close();
    }

    @Test
    void aBannedRemoteUserLosesTheRoomAndMayNotComeBackUntilUnbanned() {
        String room = alice.createRoom(JsonNodeFactory.instance.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        String ownMember = rooms(room) + "/state/m.room.member/" + TestClient.encode(bob.userId());
        bob.get(ownMember).expect(200);

        alice.post(rooms(room) + "/ban", body("user_id", bob.userId()).put("reason", "testing"))
                .expect(200);

        await(() -> bob.get(ownMember).status() == 403, "b.test learned of the ban");
        expectError(bob.get(rooms(room) + "/messages?dir=b"), 403);
        expectError(bob.join(room), 403);
        expectError(alice.post(rooms(room) + "/invite", body("user_id", bob.userId())), 403);
        expectError(alice.post(rooms(room) + "/kick", body("user_id", bob.userId())), 403);

        alice.post(rooms(room) + "/unban", body("user_id", bob.userId())).expect(200);
        bob.join(room).expect(200);
    }

    @Test
    void joiningARoomUpgradedElsewhereMovesThisServersAliasesListingAndTags() {
        String room = alice.createRoom(JsonNodeFactory.instance
                .objectNode()
                .put("preset", "public_chat")
                .put("room_version", "10"));
        bob.join(room).expect(200);
        String alias = "#bobs:b.test";
        bob.put(V3 + "/directory/room/" + TestClient.encode(alias), body("room_id", room))
                .expect(200);
        ObjectNode levels = (ObjectNode) alice.get(rooms(room) + "/state/m.room.power_levels/")
                .expect(200)
                .json();
        levels.with("users").put(bob.userId(), 100);
        alice.put(rooms(room) + "/state/m.room.power_levels/", levels).expect(200);
        String listing = V3 + "/directory/list/room/" + TestClient.encode(room);
        await(() -> bob.put(listing, body("visibility", "public")).status() == 200, "bob may list the room");
        String tags = V3 + "/user/" + TestClient.encode(bob.userId()) + "/rooms/" + TestClient.encode(room);
        bob.put(tags + "/tags/u.work", JsonNodeFactory.instance.objectNode().put("order", 0.5))
                .expect(200);

        String replacement = alice.post(rooms(room) + "/upgrade", body("new_version", "11"))
                .expect(200)
                .json()
                .path("replacement_room")
                .asText();
        bob.join(replacement).expect(200);

        assertThat(bob.get(V3 + "/directory/room/" + TestClient.encode(alias))
                        .expect(200)
                        .json()
                        .path("room_id")
                        .asText())
                .isEqualTo(replacement);
        assertThat(listedRooms(bob)).contains(replacement).doesNotContain(room);
        String newTags = V3 + "/user/" + TestClient.encode(bob.userId()) + "/rooms/" + TestClient.encode(replacement);
        assertThat(bob.get(newTags + "/tags").expect(200).json().path("tags").has("u.work"))
                .isTrue();
    }

    private static java.util.List<String> listedRooms(TestClient client) {
        return client.get(V3 + "/publicRooms").expect(200).json().path("chunk").findValuesAsText("room_id");
    }

    private static String rooms(String room) {
        return V3 + "/rooms/" + TestClient.encode(room);
    }

    private static ObjectNode body(String key, String value) {
        return JsonNodeFactory.instance.objectNode().put(key, value);
    }

    private static void expectError(TestResponse response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errcode()).as(response.body()).isEqualTo("M_FORBIDDEN");
    }

    private static void await(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
