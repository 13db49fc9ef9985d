package dev.myelin.server.api;

import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Optional fields that Synapse writes as {@code null} (or, for a room summary, as {@code leave})
 * rather than leaving out, and that clients built against Synapse require: matrix-nio validates
 * {@code GET /devices} and {@code GET /profile/{userId}/avatar_url} against schemas that need every
 * key. Each answer is compared whole, so an explicit {@code null} is told from a missing key; the
 * fields Synapse leaves out stay out.
 */
@ExtendWith(HomeserverExtension.class)
class SynapseShapedFieldsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEVICES = "/_matrix/client/v3/devices";

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void aDeviceWithoutNameOrRequestsHasNullFields(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        // a second device, logged in without a name, that has made no request yet
        ObjectNode login = JSON.createObjectNode()
                .put("type", "m.login.password")
                .put("password", "pw")
                .put("device_id", "QUIET");
        login.putObject("identifier").put("type", "m.id.user").put("user", "alice");
        hs.anonymous().post("/_matrix/client/v3/login", login).expect(200);
        long now = hs.clock().nowMillis();

        JsonNode quiet = alice.get(DEVICES + "/QUIET").expect(200).json();
        assertThat(quiet).isEqualTo(json("""
                {"device_id":"QUIET","display_name":null,"last_seen_ip":null,"last_seen_ts":null}"""));

        JsonNode all = alice.get(DEVICES).expect(200).json();
        String ip = alice.get(DEVICES + "/" + alice.deviceId())
                .expect(200)
                .json()
                .get("last_seen_ip")
                .asText();
        ObjectNode self = JSON.createObjectNode().put("device_id", alice.deviceId());
        self.putNull("display_name");
        self.put("last_seen_ip", ip).put("last_seen_ts", now);
        ObjectNode expected = JSON.createObjectNode();
        var devices = expected.putArray("devices");
        // listed by device id
        if (alice.deviceId().compareTo("QUIET") < 0) {
            devices.add(self).add(quiet);
        } else {
            devices.add(quiet).add(self);
        }
        assertThat(all).isEqualTo(expected);

        // a name, once given, is a string again; the device is still unseen
        alice.put(DEVICES + "/QUIET", JSON.createObjectNode().put("display_name", "Tablet"))
                .expect(200);
        assertThat(alice.get(DEVICES + "/QUIET").expect(200).json()).isEqualTo(json("""
                {"device_id":"QUIET","display_name":"Tablet","last_seen_ip":null,"last_seen_ts":null}"""));
    }

    @Test
    void theAdminApiShowsAnUnseenDeviceWithNullFieldsToo(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        hs.registerUser("alice");
        TestClient quiet = hs.login("alice", "password");
        String path =
                "/_synapse/admin/v2/users/" + encode("@alice:test.local") + "/devices/" + encode(quiet.deviceId());

        assertThat(hs.request("GET", path, null, admin).expect(200).json())
                .isEqualTo(json("""
                {"device_id":"%s","display_name":null,"last_seen_ip":null,"last_seen_ts":null,
                 "last_seen_user_agent":null,"user_id":"@alice:test.local"}""".formatted(quiet.deviceId())));
    }

    @Test
    void anUnsetProfileFieldIsNullAndTheWholeProfileLeavesItOut(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String profile = "/_matrix/client/v3/profile/" + encode(alice.userId());

        assertThat(hs.anonymous().get(profile + "/avatar_url").expect(200).json())
                .isEqualTo(json("{\"avatar_url\":null}"));
        assertThat(hs.anonymous().get(profile + "/displayname").expect(200).json())
                .isEqualTo(json("{\"displayname\":\"alice\"}"));
        // Synapse's whole profile leaves unset fields out, and matrix-nio's schema wants strings there
        assertThat(hs.anonymous().get(profile).expect(200).json()).isEqualTo(json("{\"displayname\":\"alice\"}"));

        alice.put(profile + "/displayname", JSON.createObjectNode().put("displayname", ""))
                .expect(200);
        assertThat(hs.anonymous().get(profile + "/displayname").expect(200).json())
                .isEqualTo(json("{\"displayname\":null}"));
        // a user that does not exist is still not found, not null
        ProfileApiTest.assertError(
                hs.anonymous().get("/_matrix/client/v3/profile/%40nobody%3Atest.local/avatar_url"), 404, "M_NOT_FOUND");
    }

    @Test
    void userDirectoryResultsCarryNullNameAndAvatar(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        alice.invite(room, bob.userId()).expect(200);
        bob.join(room).expect(200);
        bob.put(
                        "/_matrix/client/v3/profile/" + encode(bob.userId()) + "/displayname",
                        JSON.createObjectNode().put("displayname", ""))
                .expect(200);

        JsonNode found = alice.post(
                        "/_matrix/client/v3/user_directory/search",
                        JSON.createObjectNode().put("search_term", "bob"))
                .expect(200)
                .json();
        assertThat(found).isEqualTo(json("""
                {"limited":false,"results":[{"user_id":"@bob:test.local","display_name":null,"avatar_url":null}]}"""));
    }

    @Test
    void aRoomSummaryTellsAUserWithNoMembershipLeaveAndIsServedAtTheUnstablePaths(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(JSON.createObjectNode().put("preset", "public_chat"));
        JsonNode expected = json("""
                {"room_id":"%s","num_joined_members":1,"join_rule":"public","world_readable":false,
                 "guest_can_join":false,"room_version":"10","membership":"leave"}""".formatted(room));

        for (String path : new String[] {
            "/_matrix/client/v1/room_summary/" + encode(room),
            "/_matrix/client/unstable/im.nheko.summary/summary/" + encode(room),
            "/_matrix/client/unstable/im.nheko.summary/rooms/" + encode(room) + "/summary"
        }) {
            assertThat(bob.get(path).expect(200).json()).as(path).isEqualTo(expected);
            // without a token the membership is left out, as the spec says
            ObjectNode anonymous = ((ObjectNode) expected).deepCopy();
            anonymous.remove("membership");
            assertThat(hs.anonymous().get(path).expect(200).json()).as(path).isEqualTo(anonymous);
        }
        ProfileApiTest.assertError(
                bob.get("/_matrix/client/unstable/im.nheko.summary/summary/not-a-room"), 400, "M_INVALID_PARAM");
    }
}
