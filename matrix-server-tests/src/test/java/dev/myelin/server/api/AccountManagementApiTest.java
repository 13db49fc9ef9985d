package dev.myelin.server.api;

import static dev.myelin.server.api.DeviceApiTest.passwordAuth;
import static dev.myelin.server.api.DeviceApiTest.uiaChallenge;
import static dev.myelin.server.api.ProfileApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class AccountManagementApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String PASSWORD = "/_matrix/client/v3/account/password";
    private static final String DEACTIVATE = "/_matrix/client/v3/account/deactivate";
    private static final String WHOAMI = "/_matrix/client/v3/account/whoami";

    @Test
    void changingThePasswordLogsOutOtherDevicesByDefault(TestHomeserver hs) {
        TestClient current = hs.registerUser("alice", "old");
        TestClient other = hs.login("alice", "old");
        ObjectNode body = NODES.objectNode().put("new_password", "new");
        TestResponse challenge = current.post(PASSWORD, body);
        assertThat(challenge.status()).isEqualTo(401);
        assertThat(challenge.json().at("/flows/0/stages/0").asText()).isEqualTo("m.login.password");

        ObjectNode withAuth = passwordAuth(
                current.userId(), "old", challenge.json().get("session").asText());
        withAuth.put("new_password", "new");
        current.post(PASSWORD, withAuth).expect(200);

        current.get(WHOAMI).expect(200);
        assertError(other.get(WHOAMI), 401, "M_UNKNOWN_TOKEN");
        JsonNode devices = current.get("/_matrix/client/v3/devices").json().get("devices");
        assertThat(devices).hasSize(1);
        assertError(login(hs, "alice", "old"), 403, "M_FORBIDDEN");
        login(hs, "alice", "new").expect(200);
    }

    @Test
    void changingThePasswordDeletesThePushersOfTheDevicesItLogsOut(TestHomeserver hs) {
        TestClient current = hs.registerUser("alice", "old");
        TestClient other = hs.login("alice", "old");
        other.post("/_matrix/client/v3/pushers/set", pusher("other-key")).expect(200);
        current.post("/_matrix/client/v3/pushers/set", pusher("current-key")).expect(200);

        ObjectNode keepOthers = passwordAuth(current.userId(), "old", null);
        keepOthers.put("new_password", "new").put("logout_devices", false);
        current.post(PASSWORD, keepOthers).expect(200);
        assertThat(pushkeys(current)).containsExactlyInAnyOrder("other-key", "current-key");

        ObjectNode logOut = passwordAuth(current.userId(), "new", null);
        logOut.put("new_password", "newer");
        current.post(PASSWORD, logOut).expect(200);
        assertThat(pushkeys(current))
                .as("the requesting device keeps its pusher")
                .containsExactly("current-key");

        // a device deleted on its own takes its pushers with it too
        TestClient phone = hs.login("alice", "newer");
        phone.post("/_matrix/client/v3/pushers/set", pusher("phone-key")).expect(200);
        phone.post("/_matrix/client/v3/logout", NODES.objectNode()).expect(200);
        assertThat(pushkeys(current)).containsExactly("current-key");
    }

    private static ObjectNode pusher(String pushkey) {
        ObjectNode body = NODES.objectNode()
                .put("kind", "http")
                .put("app_id", "dev.myelin.test")
                .put("app_display_name", "Test")
                .put("device_display_name", "Device")
                .put("pushkey", pushkey)
                .put("lang", "en");
        body.putObject("data").put("url", "https://push.example/_matrix/push/v1/notify");
        return body;
    }

    private static java.util.List<String> pushkeys(TestClient client) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        client.get("/_matrix/client/v3/pushers")
                .expect(200)
                .json()
                .get("pushers")
                .forEach(p -> keys.add(p.get("pushkey").asText()));
        return keys;
    }

    @Test
    void otherDevicesCanStayLoggedIn(TestHomeserver hs) {
        TestClient current = hs.registerUser("alice", "old");
        TestClient other = hs.login("alice", "old");
        ObjectNode body = passwordAuth(current.userId(), "old", null);
        body.put("new_password", "new").put("logout_devices", false);
        current.post(PASSWORD, body).expect(200);
        other.get(WHOAMI).expect(200);
        login(hs, "alice", "new").expect(200);
    }

    @Test
    void rejectsBadPasswordChanges(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "old");
        assertError(alice.post(PASSWORD, NODES.objectNode()), 400, "M_MISSING_PARAM");
        assertError(alice.post(PASSWORD, NODES.objectNode().put("new_password", 7)), 400, "M_BAD_JSON");
        assertError(
                alice.post(PASSWORD, NODES.objectNode().put("new_password", "x").put("logout_devices", "yes")),
                400,
                "M_BAD_JSON");
        assertError(alice.post(PASSWORD, "{"), 400, "M_NOT_JSON");
        assertError(hs.anonymous().post(PASSWORD, NODES.objectNode().put("new_password", "x")), 401, "M_MISSING_TOKEN");

        ObjectNode wrong = passwordAuth(alice.userId(), "not-it", null);
        wrong.put("new_password", "new");
        TestResponse denied = alice.post(PASSWORD, wrong);
        assertThat(denied.status()).isEqualTo(401);
        assertThat(denied.errcode()).isEqualTo("M_FORBIDDEN");

        ObjectNode empty = passwordAuth(alice.userId(), "old", null);
        empty.put("new_password", "");
        assertError(alice.post(PASSWORD, empty), 400, "M_WEAK_PASSWORD");
        login(hs, "alice", "old").expect(200);
    }

    @Test
    void deactivationEndsEverySessionLeavesRoomsAndBlocksLogin(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        TestClient phone = hs.login("alice", "pw");
        String room = alice.createRoom(null);
        TestClient bob = hs.registerUser("bob");
        String bobsRoom = bob.createRoom(NODES.objectNode().put("preset", "public_chat"));

        TestResponse challenge = alice.post(DEACTIVATE, NODES.objectNode());
        assertThat(challenge.status()).isEqualTo(401);
        assertThat(challenge.json().at("/flows/0/stages/0").asText()).isEqualTo("m.login.password");
        JsonNode done = alice.post(
                        DEACTIVATE,
                        passwordAuth(
                                alice.userId(),
                                "pw",
                                challenge.json().get("session").asText()))
                .expect(200)
                .json();
        assertThat(done).isEqualTo(NODES.objectNode().put("id_server_unbind_result", "success"));

        assertError(alice.get(WHOAMI), 401, "M_UNKNOWN_TOKEN");
        assertError(phone.get(WHOAMI), 401, "M_UNKNOWN_TOKEN");
        UserId aliceId = UserId.parse(alice.userId());
        assertThat(hs.homeserver().testSeam().devices(aliceId)).isEmpty();
        assertThat(hs.homeserver().testSeam().account(aliceId).orElseThrow().deactivated())
                .isTrue();
        assertThat(membership(hs, room, alice.userId())).isEqualTo("leave");
        assertThat(membership(hs, bobsRoom, bob.userId())).isEqualTo("join");

        assertError(login(hs, "alice", "pw"), 403, "M_USER_DEACTIVATED");
        assertError(login(hs, "alice", "wrong"), 403, "M_USER_DEACTIVATED");
        ObjectNode again = NODES.objectNode().put("username", "alice").put("password", "pw");
        again.putObject("auth").put("type", "m.login.dummy");
        assertError(hs.anonymous().post("/_matrix/client/v3/register", again), 400, "M_USER_IN_USE");
    }

    @Test
    void deactivationNeedsTheRightPassword(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        TestResponse denied = alice.post(DEACTIVATE, passwordAuth(alice.userId(), "nope", null));
        assertThat(denied.status()).isEqualTo(401);
        assertThat(denied.errcode()).isEqualTo("M_FORBIDDEN");
        assertError(alice.post(DEACTIVATE, NODES.objectNode().put("erase", "yes")), 400, "M_BAD_JSON");
        assertError(alice.post(DEACTIVATE, NODES.objectNode().put("auth", "x")), 400, "M_BAD_JSON");
        assertError(alice.post(DEACTIVATE, "[]"), 400, "M_BAD_JSON");
        assertError(hs.anonymous().post(DEACTIVATE, NODES.objectNode()), 401, "M_MISSING_TOKEN");
        alice.get(WHOAMI).expect(200);
        login(hs, "alice", "pw").expect(200);
    }

    @Test
    void advertisesCapabilities(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        JsonNode capabilities =
                alice.get("/_matrix/client/v3/capabilities").expect(200).json().get("capabilities");
        ObjectNode expected = NODES.objectNode();
        expected.putObject("m.change_password").put("enabled", true);
        ObjectNode versions = expected.putObject("m.room_versions").put("default", "10");
        ObjectNode available = versions.putObject("available");
        RoomVersions.all().forEach(v -> available.put(v.id(), "stable"));
        expected.putObject("m.set_displayname").put("enabled", true);
        expected.putObject("m.set_avatar_url").put("enabled", true);
        expected.putObject("m.3pid_changes").put("enabled", true);
        expected.putObject("m.get_login_token").put("enabled", true);
        expected.putObject("m.profile_fields").put("enabled", true);
        assertThat(capabilities).isEqualTo(expected);
        assertThat(available.has("12")).isTrue();
        assertError(hs.anonymous().get("/_matrix/client/v3/capabilities"), 401, "M_MISSING_TOKEN");
    }

    @Test
    @OverrideConfig(key = "default_room_version", value = "'11'")
    void capabilitiesFollowTheConfiguredDefaultRoomVersion(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        assertThat(alice.get("/_matrix/client/v3/capabilities")
                        .expect(200)
                        .json()
                        .at("/capabilities/m.room_versions/default")
                        .asText())
                .isEqualTo("11");
    }

    @Test
    void listsNoThirdPartyIds(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        JsonNode body = alice.get("/_matrix/client/v3/account/3pid").expect(200).json();
        assertThat(body).isEqualTo(NODES.objectNode().set("threepids", NODES.arrayNode()));
        assertError(hs.anonymous().get("/_matrix/client/v3/account/3pid"), 401, "M_MISSING_TOKEN");
    }

    @Test
    void passwordChangeAndDeactivationAnswerTheWholeUserInteractiveAuthBody(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        TestResponse first = alice.post(PASSWORD, NODES.objectNode().put("new_password", "new"));
        String session = first.json().path("session").asText();
        assertThat(first.status()).isEqualTo(401);
        assertThat(first.json()).isEqualTo(uiaChallenge("m.login.password", session, null, null));
        ObjectNode wrong = passwordAuth(alice.userId(), "nope", session).put("new_password", "new");
        TestResponse denied = alice.post(PASSWORD, wrong);
        assertThat(denied.status()).isEqualTo(401);
        assertThat(denied.json())
                .isEqualTo(uiaChallenge("m.login.password", session, "M_FORBIDDEN", "Invalid password"));

        TestResponse deactivate = alice.post(DEACTIVATE, NODES.objectNode());
        assertThat(deactivate.status()).isEqualTo(401);
        assertThat(deactivate.json())
                .isEqualTo(uiaChallenge(
                        "m.login.password", deactivate.json().path("session").asText(), null, null));
        alice.get(WHOAMI).expect(200);
    }

    @Test
    void rejectsBadAuthAndDeactivationBodies(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        ObjectNode badIdentifier = passwordAuth(alice.userId(), "pw", null).put("new_password", "new");
        ((ObjectNode) badIdentifier.get("auth")).put("identifier", "alice");
        assertError(alice.post(PASSWORD, badIdentifier), 400, "M_BAD_JSON");
        ObjectNode numericPassword = passwordAuth(alice.userId(), "pw", null).put("new_password", "new");
        ((ObjectNode) numericPassword.get("auth")).put("password", 5);
        assertError(alice.post(PASSWORD, numericPassword), 400, "M_BAD_JSON");
        assertError(
                alice.post(
                        PASSWORD, NODES.objectNode().put("new_password", "new").put("auth", "x")),
                400,
                "M_BAD_JSON");
        assertError(alice.post(DEACTIVATE, NODES.objectNode().put("id_server", 5)), 400, "M_BAD_JSON");
        assertError(alice.post(DEACTIVATE, "{"), 400, "M_NOT_JSON");
        alice.get(WHOAMI).expect(200);
        login(hs, "alice", "pw").expect(200);
    }

    private static TestResponse login(TestHomeserver hs, String user, String password) {
        ObjectNode body = NODES.objectNode().put("type", "m.login.password").put("password", password);
        body.putObject("identifier").put("type", "m.id.user").put("user", user);
        return hs.anonymous().post("/_matrix/client/v3/login", body);
    }

    private static String membership(TestHomeserver hs, String room, String user) {
        // nobody is left in alice's own room to read its state over HTTP
        return hs.homeserver()
                .testSeam()
                .stateEvent(RoomId.parse(room), "m.room.member", user)
                .orElseThrow()
                .pdu()
                .content()
                .get("membership")
                .asText();
    }
}
