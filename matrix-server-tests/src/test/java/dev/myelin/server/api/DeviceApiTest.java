package dev.myelin.server.api;

import static dev.myelin.server.api.ProfileApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class DeviceApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String DEVICES = "/_matrix/client/v3/devices";

    @Test
    void listsTheUsersOwnDevicesWithWhereTheyWereLastSeen(TestHomeserver hs) {
        TestClient first = hs.registerUser("alice", "pw");
        String phoneToken = loginWithDevice(hs, "alice", "pw", "PHONE", "Alice's phone");
        hs.registerUser("bob");
        long now = hs.clock().nowMillis();

        JsonNode devices =
                hs.request("GET", DEVICES, null, phoneToken).expect(200).json().get("devices");
        List<String> ids = new ArrayList<>();
        devices.forEach(d -> ids.add(d.get("device_id").asText()));
        assertThat(ids).containsExactlyInAnyOrder(first.deviceId(), "PHONE");

        JsonNode phone = first.get(DEVICES + "/PHONE").expect(200).json();
        assertThat(phone.get("device_id").asText()).isEqualTo("PHONE");
        assertThat(phone.get("display_name").asText()).isEqualTo("Alice's phone");
        assertThat(phone.get("last_seen_ts").asLong()).isEqualTo(now);
        assertThat(phone.get("last_seen_ip").asText()).isNotEmpty();
        hs.clock().advance(Duration.ofMinutes(5));
        JsonNode self = hs.request(
                        "GET",
                        DEVICES + "/" + first.deviceId(),
                        null,
                        first.accessToken().orElse(null))
                .json();
        assertThat(self.get("last_seen_ts").asLong()).isEqualTo(now + 300_000);
        // no name is an explicit null, as Synapse writes it
        assertThat(self.get("display_name").isNull()).isTrue();
    }

    @Test
    void lastSeenIsWrittenAtMostOncePerMinute(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        long start = hs.clock().nowMillis();
        alice.get("/_matrix/client/v3/account/whoami").expect(200);
        hs.clock().advance(Duration.ofSeconds(59));
        assertThat(alice.get(DEVICES + "/" + alice.deviceId())
                        .json()
                        .get("last_seen_ts")
                        .asLong())
                .isEqualTo(start);
        hs.clock().advance(Duration.ofSeconds(1));
        assertThat(alice.get(DEVICES + "/" + alice.deviceId())
                        .json()
                        .get("last_seen_ts")
                        .asLong())
                .isEqualTo(start + 60_000);
    }

    @Test
    void unknownDevicesAreNotFound(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        assertError(alice.get(DEVICES + "/NOPE"), 404, "M_NOT_FOUND");
        assertError(alice.get(DEVICES + "/" + bob.deviceId()), 404, "M_NOT_FOUND");
        assertError(alice.put(DEVICES + "/NOPE", NODES.objectNode().put("display_name", "x")), 404, "M_NOT_FOUND");
        assertError(
                alice.put(DEVICES + "/" + bob.deviceId(), NODES.objectNode().put("display_name", "x")),
                404,
                "M_NOT_FOUND");
        assertError(alice.get(DEVICES + "/" + "D".repeat(300)), 400, "M_INVALID_PARAM");
        assertError(hs.anonymous().get(DEVICES), 401, "M_MISSING_TOKEN");
    }

    @Test
    void renamesADevice(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String path = DEVICES + "/" + alice.deviceId();
        alice.put(path, NODES.objectNode().put("display_name", "Laptop")).expect(200);
        assertThat(alice.get(path).json().get("display_name").asText()).isEqualTo("Laptop");
        alice.put(path, NODES.objectNode()).expect(200);
        assertThat(alice.get(path).json().get("display_name").asText())
                .as("absent leaves it")
                .isEqualTo("Laptop");

        assertError(alice.put(path, NODES.objectNode().put("display_name", 3)), 400, "M_BAD_JSON");
        assertError(alice.put(path, NODES.objectNode().put("display_name", "x".repeat(101))), 400, "M_INVALID_PARAM");
        assertError(alice.put(path, "{"), 400, "M_NOT_JSON");
        // PostgreSQL cannot store NUL in text: 500 there before it was refused
        assertError(alice.put(path, NODES.objectNode().put("display_name", "a\u0000b")), 400, "M_INVALID_PARAM");
        assertThat(alice.get(path).json().get("display_name").asText()).isEqualTo("Laptop");
    }

    @Test
    void deletingADeviceNeedsThePasswordAndRevokesItsTokens(TestHomeserver hs) {
        TestClient laptop = hs.registerUser("alice", "pw");
        TestClient phone = hs.login("alice", "pw");
        String path = DEVICES + "/" + phone.deviceId();

        TestResponse challenge = laptop.request("DELETE", path, null);
        assertThat(challenge.status()).isEqualTo(401);
        assertThat(challenge.json().at("/flows/0/stages/0").asText()).isEqualTo("m.login.password");
        String session = challenge.json().get("session").asText();
        assertThat(laptop.get(DEVICES + "/" + phone.deviceId()).status())
                .as("not yet deleted")
                .isEqualTo(200);

        TestResponse wrong = laptop.request("DELETE", path, passwordAuth(laptop.userId(), "nope", session));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.errcode()).isEqualTo("M_FORBIDDEN");

        laptop.request("DELETE", path, passwordAuth(laptop.userId(), "pw", session))
                .expect(200);
        assertError(laptop.get(DEVICES + "/" + phone.deviceId()), 404, "M_NOT_FOUND");
        assertError(phone.get("/_matrix/client/v3/account/whoami"), 401, "M_UNKNOWN_TOKEN");
        laptop.get("/_matrix/client/v3/account/whoami").expect(200);

        // Deleting a device that is already gone succeeds, as the spec says.
        laptop.request("DELETE", path, passwordAuth(laptop.userId(), "pw", null))
                .expect(200);
    }

    @Test
    void deletionAnswersTheWholeUserInteractiveAuthBody(TestHomeserver hs) {
        TestClient laptop = hs.registerUser("alice", "pw");
        TestClient phone = hs.login("alice", "pw");
        String path = DEVICES + "/" + phone.deviceId();

        TestResponse first = laptop.request("DELETE", path, null);
        String session = first.json().path("session").asText();
        assertThat(first.status()).isEqualTo(401);
        assertThat(first.json()).isEqualTo(uiaChallenge("m.login.password", session, null, null));

        TestResponse wrong = laptop.request("DELETE", path, passwordAuth(laptop.userId(), "nope", session));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json())
                .isEqualTo(uiaChallenge("m.login.password", session, "M_FORBIDDEN", "Invalid password"));

        hs.registerUser("bob", "bobpw");
        // another account's password is not a stage to retry but a refusal
        assertError(
                laptop.request("DELETE", path, passwordAuth("@bob:test.local", "bobpw", session)), 403, "M_FORBIDDEN");

        ObjectNode dummy = NODES.objectNode();
        dummy.putObject("auth").put("type", "m.login.dummy").put("session", session);
        TestResponse unsupported = laptop.request("DELETE", path, dummy);
        assertThat(unsupported.status()).isEqualTo(401);
        assertThat(unsupported.json())
                .isEqualTo(uiaChallenge(
                        "m.login.password",
                        session,
                        "M_INVALID_PARAM",
                        "Invalid parameter auth.type: unsupported auth type m.login.dummy"));

        ObjectNode noPassword = passwordAuth(laptop.userId(), "x", session);
        ((ObjectNode) noPassword.get("auth")).remove("password");
        assertThat(laptop.request("DELETE", path, noPassword).json())
                .isEqualTo(uiaChallenge("m.login.password", session, "M_MISSING_PARAM", "Missing parameter: password"));

        ObjectNode several = NODES.objectNode();
        several.putArray("devices").add(phone.deviceId());
        TestResponse bulk = laptop.post("/_matrix/client/v3/delete_devices", several);
        assertThat(bulk.status()).isEqualTo(401);
        assertThat(bulk.json())
                .isEqualTo(uiaChallenge(
                        "m.login.password", bulk.json().path("session").asText(), null, null));
        assertThat(bulk.json().path("session").asText()).isNotEqualTo(session);

        assertError(laptop.request("DELETE", path, NODES.objectNode().put("auth", "x")), 400, "M_BAD_JSON");
        assertError(laptop.request("DELETE", path, NODES.objectNode().put("auth", 1)), 400, "M_BAD_JSON");
        ObjectNode unknownSession = passwordAuth(laptop.userId(), "pw", "no-such-session");
        assertError(laptop.request("DELETE", path, unknownSession), 404, "M_NOT_FOUND");
        laptop.get(path).expect(200);
    }

    @Test
    void anotherUsersPasswordDoesNotAuthoriseDeletion(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        hs.registerUser("bob", "bobpw");
        TestResponse response = alice.request(
                "DELETE", DEVICES + "/" + alice.deviceId(), passwordAuth("@bob:test.local", "bobpw", null));
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.errcode()).isEqualTo("M_FORBIDDEN");
        alice.get("/_matrix/client/v3/account/whoami").expect(200);
        assertError(alice.request("DELETE", DEVICES + "/" + alice.deviceId(), "{oops"), 400, "M_NOT_JSON");
    }

    @Test
    void deletesSeveralDevicesAtOnce(TestHomeserver hs) {
        TestClient keep = hs.registerUser("alice", "pw");
        TestClient one = hs.login("alice", "pw");
        TestClient two = hs.login("alice", "pw");
        ObjectNode body = NODES.objectNode();
        body.putArray("devices").add(one.deviceId()).add(two.deviceId()).add("ALREADYGONE");
        TestResponse challenge = keep.post("/_matrix/client/v3/delete_devices", body);
        assertThat(challenge.status()).isEqualTo(401);

        body.set(
                "auth",
                passwordAuth(
                                keep.userId(),
                                "pw",
                                challenge.json().get("session").asText())
                        .get("auth"));
        keep.post("/_matrix/client/v3/delete_devices", body).expect(200);
        JsonNode devices = keep.get(DEVICES).expect(200).json().get("devices");
        assertThat(devices).hasSize(1);
        assertThat(devices.get(0).get("device_id").asText()).isEqualTo(keep.deviceId());
        assertError(one.get("/_matrix/client/v3/account/whoami"), 401, "M_UNKNOWN_TOKEN");
        assertError(two.get("/_matrix/client/v3/account/whoami"), 401, "M_UNKNOWN_TOKEN");
    }

    @Test
    void rejectsMalformedDeviceLists(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        String path = "/_matrix/client/v3/delete_devices";
        assertError(alice.post(path, NODES.objectNode()), 400, "M_MISSING_PARAM");
        assertError(alice.post(path, NODES.objectNode().put("devices", "ABC")), 400, "M_BAD_JSON");
        ObjectNode numbers = NODES.objectNode();
        numbers.putArray("devices").add(1);
        assertError(alice.post(path, numbers), 400, "M_BAD_JSON");
        ObjectNode empty = NODES.objectNode();
        empty.putArray("devices").add("");
        assertError(alice.post(path, empty), 400, "M_INVALID_PARAM");
        assertError(alice.post(path, "nope"), 400, "M_NOT_JSON");
        ObjectNode withNull = NODES.objectNode();
        withNull.putArray("devices").addNull();
        assertError(alice.post(path, withNull), 400, "M_BAD_JSON");
        ObjectNode badAuth = NODES.objectNode().put("auth", "x");
        badAuth.putArray("devices").add(alice.deviceId());
        assertError(alice.post(path, badAuth), 400, "M_BAD_JSON");
        alice.get(DEVICES + "/" + alice.deviceId()).expect(200);
    }

    /** Logs in with a chosen device id and display name; returns the access token. */
    static String loginWithDevice(TestHomeserver hs, String user, String password, String deviceId, String name) {
        ObjectNode body = NODES.objectNode()
                .put("type", "m.login.password")
                .put("password", password)
                .put("device_id", deviceId)
                .put("initial_device_display_name", name);
        body.putObject("identifier").put("type", "m.id.user").put("user", user);
        return hs.anonymous()
                .post("/_matrix/client/v3/login", body)
                .expect(200)
                .json()
                .get("access_token")
                .asText();
    }

    /**
     * The whole 401 body of user-interactive auth, as the spec defines it: the one-stage flow,
     * empty params and the session, plus, when {@code errcode} is given, the error of a failed
     * stage and the (empty) list of completed stages.
     */
    static ObjectNode uiaChallenge(String stage, String session, String errcode, String error) {
        ObjectNode body = NODES.objectNode();
        body.putArray("flows").addObject().putArray("stages").add(stage);
        body.putObject("params");
        body.put("session", session);
        if (errcode != null) {
            body.putArray("completed");
            body.put("errcode", errcode).put("error", error);
        }
        return body;
    }

    /** A request body completing the password stage of user-interactive auth; {@code session} may be null. */
    static ObjectNode passwordAuth(String user, String password, String session) {
        ObjectNode body = NODES.objectNode();
        ObjectNode auth = body.putObject("auth").put("type", "m.login.password").put("password", password);
        auth.putObject("identifier").put("type", "m.id.user").put("user", user);
        if (session != null) {
            auth.put("session", session);
        }
        return body;
    }
}
