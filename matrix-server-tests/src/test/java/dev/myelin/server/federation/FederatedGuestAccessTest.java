package dev.myelin.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestFederation;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Guests and other servers' rooms: a guest joins a room of another server only when the invite's
 * state says guests can join, and leaves a room of its own server whose guest access another
 * server revokes.
 */
class FederatedGuestAccessTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Duration WITHIN = Duration.ofSeconds(30);

    private TestFederation federation;
    private TestClient alice;
    private TestClient bob;

    @BeforeEach
    void start() {
        federation = TestFederation.start(b -> b.config("allow_guest_access", "true"), "a.test", "b.test");
        alice = federation.server("a.test").registerUser("alice");
        bob = federation.server("b.test").registerUser("bob");
    }

    @AfterEach
    void stop() {
        federation.close();
    }

    @Test
    void anInvitedGuestJoinsARemoteRoomOnlyWhenGuestsCanJoin() {
        TestHomeserver b = federation.server("b.test");
        String guest = registerGuest(b);
        String guestId = whoami(b, guest);
        String open = alice.createRoom(NODES.objectNode().put("preset", "private_chat"));
        alice.sendState(open, "m.room.guest_access", "", NODES.objectNode().put("guest_access", "can_join"));
        String closed = alice.createRoom(NODES.objectNode().put("preset", "private_chat"));
        alice.sendState(closed, "m.room.guest_access", "", NODES.objectNode().put("guest_access", "forbidden"));
        alice.invite(open, guestId).expect(200);
        alice.invite(closed, guestId).expect(200);

        TestResponse refused =
                b.request("POST", "/_matrix/client/v3/join/" + TestClient.encode(closed), NODES.objectNode(), guest);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errcode()).isEqualTo("M_GUEST_ACCESS_FORBIDDEN");

        b.request("POST", "/_matrix/client/v3/join/" + TestClient.encode(open), NODES.objectNode(), guest)
                .expect(200);
        federation.awaitState(
                open,
                "m.room.member",
                guestId,
                c -> c.path("membership").asText().equals("join"),
                WITHIN);
    }

    @Test
    void aGuestLeavesWhenAnotherServerRevokesGuestAccess() {
        TestHomeserver a = federation.server("a.test");
        String guest = registerGuest(a);
        String guestId = whoami(a, guest);
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        ObjectNode levels = (ObjectNode)
                alice.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/state/m.room.power_levels/")
                        .expect(200)
                        .json();
        ((ObjectNode) levels.path("users")).put(bob.userId(), 100);
        alice.sendState(room, "m.room.power_levels", "", levels);
        alice.sendState(room, "m.room.guest_access", "", NODES.objectNode().put("guest_access", "can_join"));
        bob.join(room).expect(200);
        a.request("POST", "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/join", NODES.objectNode(), guest)
                .expect(200);
        federation.awaitState(
                room,
                "m.room.member",
                guestId,
                c -> c.path("membership").asText().equals("join"),
                WITHIN);

        bob.sendState(room, "m.room.guest_access", "", NODES.objectNode().put("guest_access", "forbidden"));

        federation.awaitState(
                room,
                "m.room.member",
                guestId,
                c -> c.path("membership").asText().equals("leave"),
                WITHIN);
        federation.awaitState(
                room,
                "m.room.member",
                bob.userId(),
                c -> c.path("membership").asText().equals("join"),
                WITHIN);
    }

    private static String registerGuest(TestHomeserver hs) {
        return hs.request("POST", "/_matrix/client/v3/register?kind=guest", NODES.objectNode(), (String) null)
                .expect(200)
                .json()
                .path("access_token")
                .asText();
    }

    private static String whoami(TestHomeserver hs, String token) {
        return hs.request("GET", "/_matrix/client/v3/account/whoami", null, token)
                .expect(200)
                .json()
                .path("user_id")
                .asText();
    }
}
