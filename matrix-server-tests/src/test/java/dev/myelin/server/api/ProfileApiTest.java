package dev.myelin.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class ProfileApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ALICE = "/_matrix/client/v3/profile/%40alice%3Atest.local";

    @Test
    void newAccountsHaveTheirLocalpartAsDisplayNameAndNoAvatar(TestHomeserver hs) {
        hs.registerUser("alice");
        assertThat(hs.anonymous().get(ALICE).expect(200).json())
                .isEqualTo(NODES.objectNode().put("displayname", "alice"));
        assertThat(hs.anonymous().get(ALICE + "/displayname").expect(200).json())
                .isEqualTo(NODES.objectNode().put("displayname", "alice"));
        // an unset field is the key with null, as Synapse gives it, not 404
        assertThat(hs.anonymous().get(ALICE + "/avatar_url").expect(200).json())
                .isEqualTo(NODES.objectNode().putNull("avatar_url"));
    }

    @Test
    void setsAndClearsDisplayNameAndAvatar(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        alice.put(ALICE + "/displayname", NODES.objectNode().put("displayname", "Alice Liddell"))
                .expect(200);
        alice.put(ALICE + "/avatar_url", NODES.objectNode().put("avatar_url", "mxc://test.local/abc_DEF-123"))
                .expect(200);
        assertThat(hs.anonymous().get(ALICE).expect(200).json())
                .isEqualTo(NODES.objectNode()
                        .put("displayname", "Alice Liddell")
                        .put("avatar_url", "mxc://test.local/abc_DEF-123"));
        assertThat(hs.anonymous().get(ALICE + "/avatar_url").expect(200).json())
                .isEqualTo(NODES.objectNode().put("avatar_url", "mxc://test.local/abc_DEF-123"));

        alice.put(ALICE + "/displayname", NODES.objectNode().put("displayname", ""))
                .expect(200);
        alice.put(ALICE + "/avatar_url", NODES.objectNode().put("avatar_url", ""))
                .expect(200);
        assertThat(hs.anonymous().get(ALICE).expect(200).json()).isEqualTo(NODES.objectNode());
        assertThat(hs.anonymous().get(ALICE + "/displayname").expect(200).json())
                .isEqualTo(NODES.objectNode().putNull("displayname"));
    }

    @Test
    void unknownUsersHaveNoProfileAndUnreachableServersAre502(TestHomeserver hs) {
        for (String path : new String[] {
            "/_matrix/client/v3/profile/%40nobody%3Atest.local",
            "/_matrix/client/v3/profile/%40nobody%3Atest.local/displayname"
        }) {
            TestResponse response = hs.anonymous().get(path);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.errcode()).as(path).isEqualTo("M_NOT_FOUND");
        }
        // a remote user's profile is asked of their server, which cannot be reached from here (no
        // DNS in tests): 502, as Synapse answers, never a 500
        for (String path : new String[] {
            "/_matrix/client/v3/profile/%40bob%3Aelsewhere.example",
            "/_matrix/client/v3/profile/%40bob%3Aelsewhere.example/displayname"
        }) {
            TestResponse response = hs.anonymous().get(path);
            assertThat(response.status()).as(path).isEqualTo(502);
            assertThat(response.errcode()).as(path).isEqualTo("M_UNKNOWN");
        }
        TestResponse malformed = hs.anonymous().get("/_matrix/client/v3/profile/not-a-user-id");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errcode()).isEqualTo("M_INVALID_PARAM");
    }

    @Test
    void cannotSetAnotherUsersProfile(TestHomeserver hs) {
        hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestResponse response =
                bob.put(ALICE + "/displayname", NODES.objectNode().put("displayname", "Mallory"));
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(bob.put(ALICE + "/avatar_url", NODES.objectNode().put("avatar_url", "mxc://test.local/x"))
                        .errcode())
                .isEqualTo("M_FORBIDDEN");
        assertThat(hs.anonymous()
                        .get(ALICE + "/displayname")
                        .json()
                        .get("displayname")
                        .asText())
                .isEqualTo("alice");
        TestResponse anonymous =
                hs.anonymous().put(ALICE + "/displayname", NODES.objectNode().put("displayname", "x"));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.errcode()).isEqualTo("M_MISSING_TOKEN");
    }

    @Test
    void avatarUrlsThatAreNotMxcUrisAreKeptAsSynapseKeepsThem(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        for (String url : new String[] {"https://example.org/a.png", "LemurLover", "mxc://test.local/a/b"}) {
            alice.put(ALICE + "/avatar_url", NODES.objectNode().put("avatar_url", url))
                    .expect(200);
            assertThat(hs.anonymous().get(ALICE + "/avatar_url").expect(200).json())
                    .isEqualTo(NODES.objectNode().put("avatar_url", url));
            assertThat(alice.get("/_matrix/client/v3/rooms/" + room + "/state/m.room.member/" + alice.userId())
                            .expect(200)
                            .json()
                            .get("avatar_url")
                            .asText())
                    .isEqualTo(url);
        }
    }

    @Test
    void rejectsBadProfileValues(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        assertError(alice.put(ALICE + "/displayname", "{not json"), 400, "M_NOT_JSON");
        assertError(alice.put(ALICE + "/displayname", "[]"), 400, "M_BAD_JSON");
        assertError(alice.put(ALICE + "/displayname", NODES.objectNode()), 400, "M_MISSING_PARAM");
        assertError(alice.put(ALICE + "/displayname", NODES.objectNode().put("displayname", 5)), 400, "M_BAD_JSON");
        assertError(alice.put(ALICE + "/displayname", NODES.objectNode().putNull("displayname")), 400, "M_BAD_JSON");
        assertError(
                alice.put(ALICE + "/displayname", NODES.objectNode().put("displayname", "x".repeat(257))),
                400,
                "M_INVALID_PARAM");
        alice.put(ALICE + "/displayname", NODES.objectNode().put("displayname", "x".repeat(256)))
                .expect(200);

        assertError(
                alice.put(ALICE + "/avatar_url", NODES.objectNode().put("avatar_url", "mxc://a\u0000b")),
                400,
                "M_INVALID_PARAM");
        assertError(
                alice.put(
                        ALICE + "/avatar_url",
                        NODES.objectNode().put("avatar_url", "mxc://test.local/" + "a".repeat(1000))),
                400,
                "M_INVALID_PARAM");
        assertError(alice.put(ALICE + "/avatar_url", NODES.objectNode().put("avatar_url", true)), 400, "M_BAD_JSON");
        assertThat(hs.anonymous().get(ALICE).json())
                .isEqualTo(NODES.objectNode().put("displayname", "x".repeat(256)));
    }

    @Test
    void aProfileChangeIsSentIntoEveryJoinedRoom(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String first = alice.createRoom(null);
        String second = alice.createRoom(NODES.objectNode().put("room_version", "12"));
        EventId before = memberEventId(hs, first, alice.userId());

        alice.put(ALICE + "/displayname", NODES.objectNode().put("displayname", "Alice"))
                .expect(200);
        alice.put(ALICE + "/avatar_url", NODES.objectNode().put("avatar_url", "mxc://test.local/avatar"))
                .expect(200);

        ObjectNode expected = NODES.objectNode()
                .put("membership", "join")
                .put("displayname", "Alice")
                .put("avatar_url", "mxc://test.local/avatar");
        for (String room : new String[] {first, second}) {
            assertThat(memberContent(hs, room, alice.userId())).as(room).isEqualTo(expected);
        }
        EventId afterBoth = memberEventId(hs, first, alice.userId());
        assertThat(afterBoth).isNotEqualTo(before);

        // Setting the same value again changes nothing, so no new membership event is sent.
        alice.put(ALICE + "/avatar_url", NODES.objectNode().put("avatar_url", "mxc://test.local/avatar"))
                .expect(200);
        assertThat(memberEventId(hs, first, alice.userId())).isEqualTo(afterBoth);

        alice.put(ALICE + "/displayname", NODES.objectNode().put("displayname", ""))
                .expect(200);
        assertThat(memberContent(hs, first, alice.userId()))
                .isEqualTo(NODES.objectNode().put("membership", "join").put("avatar_url", "mxc://test.local/avatar"));
    }

    @Test
    void aProfileChangeDoesNotTouchOtherUsersRooms(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String bobsRoom = bob.createRoom(null);
        alice.put(ALICE + "/displayname", NODES.objectNode().put("displayname", "Alice"))
                .expect(200);
        assertThat(hs.homeserver().testSeam().stateEvent(RoomId.parse(bobsRoom), "m.room.member", alice.userId()))
                .isEmpty();
        assertThat(memberContent(hs, bobsRoom, bob.userId()).get("displayname").asText())
                .isEqualTo("bob");
    }

    private static EventId memberEventId(TestHomeserver hs, String room, String user) {
        return hs.homeserver()
                .testSeam()
                .stateEvent(
                        RoomId.parse(room), "m.room.member", UserId.parse(user).toString())
                .orElseThrow()
                .pdu()
                .eventId();
    }

    private static JsonNode memberContent(TestHomeserver hs, String room, String user) {
        return hs.homeserver()
                .testSeam()
                .stateEvent(
                        RoomId.parse(room), "m.room.member", UserId.parse(user).toString())
                .orElseThrow()
                .pdu()
                .content();
    }

    static void assertError(TestResponse response, int status, String errcode) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errcode()).as(response.body()).isEqualTo(errcode);
    }
}
