package dev.myelin.server.api;

import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class RoomMembershipApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String V3 = "/_matrix/client/v3";

    private static String publicRoom(TestClient creator, String alias) {
        ObjectNode body = NODES.objectNode().put("preset", "public_chat");
        if (alias != null) {
            body.put("room_alias_name", alias);
        }
        return creator.createRoom(body);
    }

    private static JsonNode memberContent(TestClient reader, String room, String user) {
        return reader.get(V3 + "/rooms/" + encode(room) + "/state/m.room.member/" + encode(user))
                .expect(200)
                .json();
    }

    private static TestResponse moderate(TestClient client, String room, String action, String user, String reason) {
        ObjectNode body = NODES.objectNode().put("user_id", user);
        if (reason != null) {
            body.put("reason", reason);
        }
        return client.post(V3 + "/rooms/" + encode(room) + "/" + action, body);
    }

    @Test
    void joinsByAliasWithProfileAndReasonInTheMemberEvent(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String bobsProfile = V3 + "/profile/" + encode(bob.userId());
        bob.put(bobsProfile + "/displayname", NODES.objectNode().put("displayname", "Bob"))
                .expect(200);
        bob.put(bobsProfile + "/avatar_url", NODES.objectNode().put("avatar_url", "mxc://test.local/b"))
                .expect(200);
        String room = publicRoom(alice, "lobby");

        JsonNode joined = bob.post(
                        V3 + "/join/" + encode("#lobby:test.local") + "?server_name=elsewhere.example",
                        NODES.objectNode().put("reason", "saying hi"))
                .expect(200)
                .json();

        assertThat(joined).isEqualTo(NODES.objectNode().put("room_id", room));
        assertThat(memberContent(alice, room, bob.userId()))
                .isEqualTo(NODES.objectNode()
                        .put("membership", "join")
                        .put("reason", "saying hi")
                        .put("displayname", "Bob")
                        .put("avatar_url", "mxc://test.local/b"));
        assertThat(bob.get(V3 + "/joined_rooms").expect(200).json())
                .isEqualTo(
                        NODES.objectNode().set("joined_rooms", NODES.arrayNode().add(room)));
    }

    @Test
    void joinKeepsTheBodysOtherKeysInTheMemberEvent(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        bob.put(
                        V3 + "/profile/" + encode(bob.userId()) + "/displayname",
                        NODES.objectNode().put("displayname", "Bob"))
                .expect(200);
        String room = publicRoom(alice, "lobby");

        ObjectNode body =
                NODES.objectNode().put("foo", "bar").put("reason", "hi").put("membership", "leave");
        body.putObject("third_party_signed").put("sender", "@x:test.local");
        bob.post(V3 + "/join/" + encode(room), body).expect(200);
        assertThat(memberContent(alice, room, bob.userId()))
                .isEqualTo(NODES.objectNode()
                        .put("membership", "join")
                        .put("reason", "hi")
                        .put("displayname", "Bob")
                        .put("foo", "bar"));

        // a display name in the body is the user's name in this room only
        carol.post(
                        V3 + "/join/" + encode("#lobby:test.local"),
                        NODES.objectNode().put("displayname", "Carol here").put("foo", 1))
                .expect(200);
        assertThat(memberContent(alice, room, carol.userId()))
                .isEqualTo(NODES.objectNode()
                        .put("membership", "join")
                        .put("displayname", "Carol here")
                        .put("foo", 1));
    }

    @Test
    void joinRefusesProfileFieldsThatAreNotShortStrings(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = publicRoom(alice, null);
        String join = V3 + "/join/" + encode(room);

        TestResponse number = bob.post(join, NODES.objectNode().put("displayname", 5));
        assertThat(number.status()).isEqualTo(400);
        assertThat(number.errcode()).isEqualTo("M_BAD_JSON");
        TestResponse longUrl = bob.post(join, NODES.objectNode().put("avatar_url", "mxc://x/" + "a".repeat(1000)));
        assertThat(longUrl.status()).isEqualTo(400);
        assertThat(longUrl.errcode()).isEqualTo("M_BAD_JSON");
        TestResponse badReason = bob.post(join, NODES.objectNode().put("reason", 5));
        assertThat(badReason.status()).isEqualTo(400);
        assertThat(badReason.errcode()).isEqualTo("M_BAD_JSON");
        assertThat(bob.get(V3 + "/joined_rooms").expect(200).json().get("joined_rooms"))
                .isEmpty();
    }

    @Test
    void joiningTwiceIsIdempotentAndAnEmptyBodyIsFine(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = publicRoom(alice, null);
        bob.request("POST", V3 + "/rooms/" + encode(room) + "/join", null).expect(200);
        String memberId = bob.get(V3 + "/rooms/" + encode(room) + "/state/m.room.member/" + encode(bob.userId())
                        + "?format=event")
                .expect(200)
                .json()
                .get("event_id")
                .asText();

        JsonNode again = bob.join(room).expect(200).json();

        assertThat(again).isEqualTo(NODES.objectNode().put("room_id", room));
        assertThat(bob.get(V3 + "/rooms/" + encode(room) + "/state/m.room.member/" + encode(bob.userId())
                                + "?format=event")
                        .expect(200)
                        .json()
                        .get("event_id")
                        .asText())
                .isEqualTo(memberId);
    }

    @Test
    void unknownRoomsAndAliasesAreNotFound(TestHomeserver hs) {
        TestClient bob = hs.registerUser("bob");
        TestResponse byId = bob.join("!nowhere:test.local");
        assertThat(byId.status()).isEqualTo(404);
        assertThat(byId.errcode()).isEqualTo("M_NOT_FOUND");
        TestResponse byAlias = bob.join("#nowhere:test.local");
        assertThat(byAlias.status()).isEqualTo(404);
        assertThat(byAlias.errcode()).isEqualTo("M_NOT_FOUND");
        // a room of another server is joined over federation; one that cannot be reached is a 502
        TestResponse remote = bob.join("!room:elsewhere.example");
        assertThat(remote.status()).isEqualTo(502);
        TestResponse garbage = bob.join("lobby");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.errcode()).isEqualTo("M_INVALID_PARAM");
        TestResponse leave = bob.post(V3 + "/rooms/" + encode("!nowhere:test.local") + "/leave", NODES.objectNode());
        assertThat(leave.status()).isEqualTo(404);
        assertThat(leave.errcode()).isEqualTo("M_NOT_FOUND");
    }

    @Test
    void inviteOnlyRoomsNeedAnInvite(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);

        TestResponse uninvited = bob.join(room);
        assertThat(uninvited.status()).isEqualTo(403);
        assertThat(uninvited.errcode()).isEqualTo("M_FORBIDDEN");

        alice.post(
                        V3 + "/rooms/" + encode(room) + "/invite",
                        NODES.objectNode().put("user_id", bob.userId()).put("reason", "join us"))
                .expect(200);
        assertThat(alice.get(V3 + "/rooms/" + encode(room) + "/state/m.room.member/" + encode(bob.userId()))
                        .expect(200)
                        .json())
                .isEqualTo(NODES.objectNode()
                        .put("membership", "invite")
                        .put("reason", "join us")
                        .put("displayname", "bob"));
        bob.join(room).expect(200);
        assertThat(bob.get(V3 + "/joined_rooms").json().get("joined_rooms")).containsExactly(NODES.textNode(room));
    }

    @Test
    void inviteRejectsBadUserIdsAndMembersAlreadyIn(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        TestResponse invalid = alice.invite(room, "not-a-user");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.errcode()).isEqualTo("M_INVALID_PARAM");
        TestResponse missing = alice.post(V3 + "/rooms/" + encode(room) + "/invite", NODES.objectNode());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errcode()).isEqualTo("M_MISSING_PARAM");
        TestResponse self = alice.invite(room, alice.userId());
        assertThat(self.status()).isEqualTo(403);
        assertThat(self.errcode()).isEqualTo("M_FORBIDDEN");
        TestResponse outsider = hs.registerUser("carol").invite(room, "@dave:test.local");
        assertThat(outsider.status()).isEqualTo(403);
    }

    @Test
    void leavingKeepsTheReasonAndLeavingAgainIsForbidden(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = publicRoom(alice, null);
        bob.join(room).expect(200);

        bob.post(V3 + "/rooms/" + encode(room) + "/leave", NODES.objectNode().put("reason", "bye"))
                .expect(200)
                .json();

        assertThat(memberContent(alice, room, bob.userId()))
                .isEqualTo(NODES.objectNode().put("membership", "leave").put("reason", "bye"));
        assertThat(bob.get(V3 + "/joined_rooms").json().get("joined_rooms")).isEmpty();
        TestResponse again = bob.post(V3 + "/rooms/" + encode(room) + "/leave", NODES.objectNode());
        assertThat(again.status()).isEqualTo(403);
        assertThat(again.errcode()).isEqualTo("M_FORBIDDEN");
        TestResponse never = hs.registerUser("carol").post(V3 + "/rooms/" + encode(room) + "/leave", null);
        assertThat(never.status()).isEqualTo(403);
    }

    @Test
    void forgetOnlyAfterLeavingAndThenTheRoomIsUnreadable(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = publicRoom(alice, null);
        bob.join(room).expect(200);

        TestResponse whileJoined = bob.post(V3 + "/rooms/" + encode(room) + "/forget", NODES.objectNode());
        assertThat(whileJoined.status()).isEqualTo(400);
        assertThat(whileJoined.errcode()).isEqualTo("M_UNKNOWN");

        bob.post(V3 + "/rooms/" + encode(room) + "/leave", NODES.objectNode()).expect(200);
        assertThat(bob.get(V3 + "/rooms/" + encode(room) + "/state").status()).isEqualTo(200);
        assertThat(bob.post(V3 + "/rooms/" + encode(room) + "/forget", NODES.objectNode())
                        .expect(200)
                        .json())
                .isEqualTo(NODES.objectNode());
        TestResponse after = bob.get(V3 + "/rooms/" + encode(room) + "/state");
        assertThat(after.status()).isEqualTo(403);
        assertThat(after.errcode()).isEqualTo("M_FORBIDDEN");

        bob.join(room).expect(200);
        assertThat(bob.get(V3 + "/rooms/" + encode(room) + "/state").status()).isEqualTo(200);
    }

    @Test
    void kickBanAndUnbanNeedPowerAndKeepTheReason(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room = publicRoom(alice, null);
        bob.join(room).expect(200);
        carol.join(room).expect(200);

        TestResponse weakKick = moderate(bob, room, "kick", carol.userId(), null);
        assertThat(weakKick.status()).isEqualTo(403);
        assertThat(weakKick.errcode()).isEqualTo("M_FORBIDDEN");
        TestResponse weakBan = moderate(bob, room, "ban", carol.userId(), null);
        assertThat(weakBan.status()).isEqualTo(403);

        moderate(alice, room, "kick", carol.userId(), "spam").expect(200);
        assertThat(memberContent(alice, room, carol.userId()))
                .isEqualTo(NODES.objectNode().put("membership", "leave").put("reason", "spam"));
        carol.join(room).expect(200);

        moderate(alice, room, "ban", carol.userId(), "more spam").expect(200);
        assertThat(memberContent(alice, room, carol.userId()))
                .isEqualTo(NODES.objectNode().put("membership", "ban").put("reason", "more spam"));
        TestResponse bannedJoin = carol.join(room);
        assertThat(bannedJoin.status()).isEqualTo(403);
        assertThat(bannedJoin.errcode()).isEqualTo("M_FORBIDDEN");
        TestResponse bannedInvite = alice.invite(room, carol.userId());
        assertThat(bannedInvite.status()).isEqualTo(403);

        moderate(alice, room, "unban", carol.userId(), "forgiven").expect(200);
        assertThat(memberContent(alice, room, carol.userId()))
                .isEqualTo(NODES.objectNode().put("membership", "leave").put("reason", "forgiven"));
        carol.join(room).expect(200);
    }

    @Test
    void moderationRejectsBadInput(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice, null);
        TestResponse badUser = moderate(alice, room, "ban", "carol", null);
        assertThat(badUser.status()).isEqualTo(400);
        assertThat(badUser.errcode()).isEqualTo("M_INVALID_PARAM");
        TestResponse badReason = alice.post(
                V3 + "/rooms/" + encode(room) + "/kick",
                NODES.objectNode().put("user_id", "@carol:test.local").put("reason", 5));
        assertThat(badReason.status()).isEqualTo(400);
        assertThat(badReason.errcode()).isEqualTo("M_BAD_JSON");
        TestResponse notMember = moderate(alice, room, "kick", "@carol:test.local", null);
        assertThat(notMember.status()).isEqualTo(403);
        TestResponse notBanned = moderate(alice, room, "unban", "@carol:test.local", null);
        assertThat(notBanned.status()).isEqualTo(403);
        TestResponse badRoom =
                alice.post(V3 + "/rooms/not-a-room/ban", NODES.objectNode().put("user_id", "@c:test.local"));
        assertThat(badRoom.status()).isEqualTo(400);
        assertThat(badRoom.errcode()).isEqualTo("M_INVALID_PARAM");
    }

    @Test
    void membershipNeedsAnAccessToken(TestHomeserver hs) {
        TestResponse response = hs.anonymous().get(V3 + "/joined_rooms");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errcode()).isEqualTo("M_MISSING_TOKEN");
    }

    @Test
    void membershipBodiesAreReadStrictly(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = publicRoom(alice, null);
        String path = V3 + "/rooms/" + encode(room);
        TestResponse badReason = bob.post(path + "/join", NODES.objectNode().put("reason", 5));
        assertThat(badReason.status()).isEqualTo(400);
        assertThat(badReason.errcode()).isEqualTo("M_BAD_JSON");
        TestResponse notJson = bob.post(V3 + "/join/" + encode(room), "{nope");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.errcode()).isEqualTo("M_NOT_JSON");
        bob.post(path + "/join", null).expect(200);
        assertThat(bob.post(path + "/leave", "[1]").errcode()).isEqualTo("M_BAD_JSON");
        bob.post(path + "/leave", null).expect(200);
        TestResponse numericUser =
                alice.post(path + "/invite", NODES.objectNode().put("user_id", 5));
        assertThat(numericUser.status()).isEqualTo(400);
        assertThat(numericUser.errcode()).isEqualTo("M_BAD_JSON");
        TestResponse noBody = alice.post(path + "/ban", null);
        assertThat(noBody.status()).isEqualTo(400);
        assertThat(noBody.errcode()).isEqualTo("M_NOT_JSON");
        TestResponse noUser = alice.post(path + "/kick", NODES.objectNode().put("reason", "r"));
        assertThat(noUser.status()).isEqualTo(400);
        assertThat(noUser.errcode()).isEqualTo("M_MISSING_PARAM");
    }
}
