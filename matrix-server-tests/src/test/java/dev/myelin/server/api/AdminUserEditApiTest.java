package dev.myelin.server.api;

import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Synapse's admin API for changing accounts as synadm's {@code user modify} and admin tools call
 * it: create or modify, password resets, a user's devices and rooms, logging in as a user.
 */
@ExtendWith(HomeserverExtension.class)
class AdminUserEditApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static String user(TestHomeserver hs, String id) {
        return "/_synapse/admin/v2/users/" + encode(id);
    }

    @Test
    void putCreatesThenModifiesAnAccount(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        String dave = "@dave:" + hs.serverName();
        ObjectNode create = NODES.objectNode()
                .put("password", "s3cret")
                .put("displayname", "Dave")
                .put("avatar_url", "mxc://test.local/dave")
                .put("user_type", "bot");
        JsonNode created =
                hs.request("PUT", user(hs, dave), create, admin).expect(201).json();
        assertThat(created.path("name").asText()).isEqualTo(dave);
        assertThat(created.path("displayname").asText()).isEqualTo("Dave");
        assertThat(created.path("avatar_url").asText()).isEqualTo("mxc://test.local/dave");
        assertThat(created.path("user_type").asText()).isEqualTo("bot");
        assertThat(created.path("admin").asBoolean()).isFalse();
        assertThat(created.path("deactivated").asBoolean()).isFalse();
        TestClient daveOnPhone = hs.login("dave", "s3cret");

        // synadm user modify: displayname and admin, then a password (which logs dave out elsewhere)
        JsonNode modified = hs.request(
                        "PUT",
                        user(hs, dave),
                        NODES.objectNode().put("displayname", "D").put("admin", true),
                        admin)
                .expect(200)
                .json();
        assertThat(modified.path("displayname").asText()).isEqualTo("D");
        assertThat(modified.path("admin").asBoolean()).isTrue();
        daveOnPhone.get("/_matrix/client/v3/account/whoami").expect(200);
        hs.request("PUT", user(hs, dave), NODES.objectNode().put("password", "n3w"), admin)
                .expect(200);
        assertThat(daveOnPhone
                        .get("/_matrix/client/v3/account/whoami")
                        .expect(401)
                        .errcode())
                .isEqualTo("M_UNKNOWN_TOKEN");
        TestClient daveAgain = hs.login("dave", "n3w");
        hs.request(
                        "PUT",
                        user(hs, dave),
                        NODES.objectNode().put("password", "n3wer").put("logout_devices", false),
                        admin)
                .expect(200);
        daveAgain.get("/_matrix/client/v3/account/whoami").expect(200);

        // deactivate, then re-activate (which needs a password), then lock
        JsonNode gone = hs.request("PUT", user(hs, dave), NODES.objectNode().put("deactivated", true), admin)
                .expect(200)
                .json();
        assertThat(gone.path("deactivated").asBoolean()).isTrue();
        assertThat(daveAgain
                        .get("/_matrix/client/v3/account/whoami")
                        .expect(401)
                        .errcode())
                .isEqualTo("M_UNKNOWN_TOKEN");
        assertThat(hs.request("PUT", user(hs, dave), NODES.objectNode().put("deactivated", false), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        JsonNode back = hs.request(
                        "PUT",
                        user(hs, dave),
                        NODES.objectNode().put("deactivated", false).put("password", "again"),
                        admin)
                .expect(200)
                .json();
        assertThat(back.path("deactivated").asBoolean()).isFalse();
        hs.login("dave", "again").get("/_matrix/client/v3/account/whoami").expect(200);
        assertThat(hs.request("PUT", user(hs, dave), NODES.objectNode().put("locked", true), admin)
                        .expect(200)
                        .json()
                        .path("locked")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void putRefusesOthersAndBadBodies(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        assertThat(alice.put(user(hs, alice.userId()), NODES.objectNode().put("admin", true))
                        .expect(403)
                        .errcode())
                .isEqualTo("M_FORBIDDEN");
        assertThat(hs.request("PUT", user(hs, "@bob:elsewhere.example"), NODES.objectNode(), admin)
                        .expect(400)
                        .json()
                        .path("error")
                        .asText())
                .isEqualTo("This endpoint can only be used with local users");
        for (ObjectNode bad : List.of(
                NODES.objectNode().put("admin", "yes"),
                NODES.objectNode().put("deactivated", 1),
                NODES.objectNode().put("password", 12),
                NODES.objectNode().put("password", ""),
                NODES.objectNode().put("displayname", "x".repeat(300)),
                NODES.objectNode().put("password", "new-one").put("displayname", "a\u0000b"),
                NODES.objectNode().put("user_type", "wizard"))) {
            assertThat(hs.request("PUT", user(hs, alice.userId()), bad, admin)
                            .expect(400)
                            .errcode())
                    .as(bad.toString())
                    .isEqualTo("M_INVALID_PARAM");
        }
        assertThat(hs.request("PUT", user(hs, alice.userId()), "[1]", admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_BAD_JSON");
        assertThat(hs.request(
                                "PUT",
                                user(hs, "@admin:" + hs.serverName()),
                                NODES.objectNode().put("admin", false),
                                admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        // nothing of the refused bodies was applied
        JsonNode alice2 = hs.request("GET", user(hs, alice.userId()), null, admin)
                .expect(200)
                .json();
        assertThat(alice2.path("admin").asBoolean()).isFalse();
        assertThat(alice2.path("displayname").asText()).isEqualTo("alice");
        hs.login("alice", "password");
    }

    @Test
    void resetPasswordLogsOutUnlessAskedNotTo(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        String reset = "/_synapse/admin/v1/reset_password/" + encode(alice.userId());
        hs.request("POST", reset, NODES.objectNode().put("new_password", "p2").put("logout_devices", false), admin)
                .expect(200);
        alice.get("/_matrix/client/v3/account/whoami").expect(200);
        TestClient second = hs.login("alice", "p2");
        assertThat(hs.request("POST", reset, NODES.objectNode().put("new_password", "p3"), admin)
                        .expect(200)
                        .json())
                .isEqualTo(NODES.objectNode());
        second.get("/_matrix/client/v3/account/whoami").expect(401);
        hs.login("alice", "p3");

        assertThat(second.post(reset, NODES.objectNode().put("new_password", "x"))
                        .expect(401)
                        .errcode())
                .isEqualTo("M_UNKNOWN_TOKEN");
        TestClient bob = hs.registerUser("bob");
        assertThat(bob.post(reset, NODES.objectNode().put("new_password", "x"))
                        .expect(403)
                        .errcode())
                .isEqualTo("M_FORBIDDEN");
        assertThat(hs.request(
                                "POST",
                                "/_synapse/admin/v1/reset_password/" + encode("@nobody:" + hs.serverName()),
                                NODES.objectNode().put("new_password", "x"),
                                admin)
                        .expect(404)
                        .errcode())
                .isEqualTo("M_NOT_FOUND");
        assertThat(hs.request("POST", reset, NODES.objectNode(), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_MISSING_PARAM");
        assertThat(hs.request("POST", reset, NODES.objectNode().put("new_password", 5), admin)
                        .expect(400)
                        .errcode())
                .isIn("M_BAD_JSON", "M_INVALID_PARAM");
    }

    @Test
    void adminsManageAUsersDevices(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        TestClient phone = hs.login("alice", "password");
        String devices = user(hs, alice.userId()) + "/devices";

        JsonNode list = hs.request("GET", devices, null, admin).expect(200).json();
        assertThat(list.path("total").asInt()).isEqualTo(2);
        assertThat(deviceIds(list)).containsExactlyInAnyOrder(alice.deviceId(), phone.deviceId());
        assertThat(list.path("devices").get(0).path("user_id").asText()).isEqualTo(alice.userId());

        String one = devices + "/" + encode(phone.deviceId());
        hs.request("PUT", one, NODES.objectNode().put("display_name", "Phone"), admin)
                .expect(200);
        JsonNode device = hs.request("GET", one, null, admin).expect(200).json();
        assertThat(device.path("device_id").asText()).isEqualTo(phone.deviceId());
        assertThat(device.path("display_name").asText()).isEqualTo("Phone");
        assertThat(hs.request("GET", devices + "/NOPE", null, admin).expect(404).errcode())
                .isEqualTo("M_NOT_FOUND");

        hs.request("DELETE", one, null, admin).expect(200);
        phone.get("/_matrix/client/v3/account/whoami").expect(401);
        hs.request("DELETE", one, null, admin).expect(200);
        hs.request(
                        "POST",
                        user(hs, alice.userId()) + "/delete_devices",
                        NODES.objectNode().set("devices", NODES.arrayNode().add(alice.deviceId())),
                        admin)
                .expect(200);
        assertThat(hs.request("GET", devices, null, admin).expect(200).json())
                .isEqualTo(NODES.objectNode().put("total", 0).set("devices", NODES.arrayNode()));

        TestClient bob = hs.registerUser("bob");
        assertThat(bob.get(devices).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(hs.request("GET", user(hs, "@nobody:" + hs.serverName()) + "/devices", null, admin)
                        .expect(404)
                        .errcode())
                .isEqualTo("M_NOT_FOUND");
        assertThat(hs.request("POST", user(hs, alice.userId()) + "/delete_devices", NODES.objectNode(), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_MISSING_PARAM");
        assertThat(hs.request(
                                "POST",
                                user(hs, alice.userId()) + "/delete_devices",
                                NODES.objectNode()
                                        .set("devices", NODES.arrayNode().add(3)),
                                admin)
                        .expect(400)
                        .errcode())
                .isIn("M_BAD_JSON", "M_INVALID_PARAM");
    }

    private static List<String> deviceIds(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.path("devices").forEach(d -> ids.add(d.path("device_id").asText()));
        return ids;
    }

    @Test
    void adminsListAUsersJoinedRooms(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String path = "/_synapse/admin/v1/users/" + encode(alice.userId()) + "/joined_rooms";
        assertThat(hs.request("GET", path, null, admin).expect(200).json())
                .isEqualTo(NODES.objectNode()
                        .put("total", 1)
                        .set("joined_rooms", NODES.arrayNode().add(room)));
        assertThat(alice.get(path).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(hs.request(
                                "GET",
                                "/_synapse/admin/v1/users/" + encode("@nobody:" + hs.serverName()) + "/joined_rooms",
                                null,
                                admin)
                        .expect(404)
                        .errcode())
                .isEqualTo("M_NOT_FOUND");
        assertThat(hs.request(
                                "GET",
                                "/_synapse/admin/v1/users/" + encode("@x:elsewhere.example") + "/joined_rooms",
                                null,
                                admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
    }

    @Test
    void adminsLogInAsAUserWithoutADevice(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        String login = "/_synapse/admin/v1/users/" + encode(alice.userId()) + "/login";
        String token = hs.request("POST", login, NODES.objectNode(), admin)
                .expect(200)
                .json()
                .path("access_token")
                .asText();
        assertThat(hs.request("GET", "/_matrix/client/v3/account/whoami", null, token)
                        .expect(200)
                        .json()
                        .path("user_id")
                        .asText())
                .isEqualTo(alice.userId());
        assertThat(alice.get("/_matrix/client/v3/devices")
                        .expect(200)
                        .json()
                        .path("devices")
                        .size())
                .isEqualTo(1);

        long soon = hs.time().nowMillis() + 60_000;
        String shortLived = hs.request("POST", login, NODES.objectNode().put("valid_until_ms", soon), admin)
                .expect(200)
                .json()
                .path("access_token")
                .asText();
        hs.request("GET", "/_matrix/client/v3/account/whoami", null, shortLived).expect(200);
        if (!hs.isWallClock()) {
            hs.clock().advance(java.time.Duration.ofMinutes(2));
            hs.request("GET", "/_matrix/client/v3/account/whoami", null, shortLived)
                    .expect(401);
        }

        assertThat(hs.request("POST", login, NODES.objectNode().put("valid_until_ms", "soon"), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(hs.request(
                                "POST",
                                "/_synapse/admin/v1/users/" + encode("@admin:" + hs.serverName()) + "/login",
                                NODES.objectNode(),
                                admin)
                        .expect(400)
                        .json()
                        .path("error")
                        .asText())
                .isEqualTo("Cannot use admin API to login as self");
        assertThat(alice.post(login, NODES.objectNode()).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(hs.request(
                                "POST",
                                "/_synapse/admin/v1/users/" + encode("@nobody:" + hs.serverName()) + "/login",
                                NODES.objectNode(),
                                admin)
                        .expect(404)
                        .errcode())
                .isEqualTo("M_NOT_FOUND");
    }
}
