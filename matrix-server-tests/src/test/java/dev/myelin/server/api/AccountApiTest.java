package dev.myelin.server.api;

import static dev.myelin.server.api.ProfileApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.server.api.admin.SharedSecretRegisterEndpoints;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class AccountApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void advertisesVersionsAndWellKnown(TestHomeserver hs) {
        JsonNode versions =
                hs.anonymous().get("/_matrix/client/versions").expect(200).json();
        assertThat(versions.get("versions").toString()).contains("v1.1");
        // older clients look for the r0 release they were written against
        assertThat(versions.get("versions").toString()).contains("\"r0.0.1\"", "\"r0.5.0\"", "\"r0.6.1\"");
        assertThat(versions.at("/unstable_features/org.matrix.e2e_cross_signing")
                        .asBoolean())
                .isTrue();
        assertThat(versions.at("/unstable_features/org.matrix.msc3440.stable").asBoolean())
                .isTrue();
        JsonNode wellKnown =
                hs.anonymous().get("/.well-known/matrix/client").expect(200).json();
        assertThat(wellKnown.at("/m.homeserver/base_url").asText()).isEqualTo("http://test.local");
    }

    @Test
    void legacyR0PathsAreServedAsV3(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        assertThat(alice.get("/_matrix/client/r0/account/whoami")
                        .expect(200)
                        .json()
                        .get("user_id")
                        .asText())
                .isEqualTo("@alice:test.local");
        assertThat(alice.get("/_matrix/client/r0/no/such/endpoint").errcode()).isEqualTo("M_UNRECOGNIZED");
    }

    @Test
    void registrationWithoutAuthStartsTheDummyFlow(TestHomeserver hs) {
        TestResponse response = hs.anonymous()
                .post(
                        "/_matrix/client/v3/register",
                        NODES.objectNode().put("username", "alice").put("password", "pw"));
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().at("/flows/0/stages/0").asText()).isEqualTo("m.login.dummy");
        assertThat(response.json().get("session").asText()).isNotEmpty();
        assertThat(response.errcode()).isNull();
    }

    @Test
    void registrationAnswersTheWholeUserInteractiveAuthBody(TestHomeserver hs) {
        TestResponse first = hs.anonymous()
                .post(
                        "/_matrix/client/v3/register",
                        NODES.objectNode().put("username", "alice").put("password", "pw"));
        String session = first.json().path("session").asText();
        assertThat(first.status()).isEqualTo(401);
        assertThat(first.json()).isEqualTo(DeviceApiTest.uiaChallenge("m.login.dummy", session, null, null));

        ObjectNode password = NODES.objectNode().put("username", "alice").put("password", "pw");
        password.putObject("auth").put("type", "m.login.password").put("session", session);
        TestResponse unsupported = hs.anonymous().post("/_matrix/client/v3/register", password);
        assertThat(unsupported.status()).isEqualTo(401);
        assertThat(unsupported.json())
                .isEqualTo(DeviceApiTest.uiaChallenge(
                        "m.login.dummy",
                        session,
                        "M_INVALID_PARAM",
                        "Invalid parameter auth.type: unsupported auth type m.login.password"));

        ObjectNode dummy = NODES.objectNode().put("username", "alice").put("password", "pw");
        dummy.putObject("auth").put("type", "m.login.dummy").put("session", session);
        JsonNode registered = hs.anonymous()
                .post("/_matrix/client/v3/register", dummy)
                .expect(200)
                .json();
        assertThat(registered.get("user_id").asText()).isEqualTo("@alice:test.local");
        assertThat(registered.has("access_token")).isTrue();
        assertThat(registered.has("refresh_token")).as("not asked for").isFalse();
        assertThat(registered.has("expires_in_ms")).isFalse();
    }

    @Test
    void aDeviceNameTheDatabaseCannotHoldIsRefusedAtLoginAndRegistration(TestHomeserver hs) {
        hs.registerUser("alice");
        ObjectNode login = NODES.objectNode()
                .put("type", "m.login.password")
                .put("password", "password")
                .put("initial_device_display_name", "a\u0000b");
        login.putObject("identifier").put("type", "m.id.user").put("user", "alice");
        // PostgreSQL refuses NUL in text: both answered 500 there, and stored it on SQLite
        assertError(hs.anonymous().post("/_matrix/client/v3/login", login), 400, "M_INVALID_PARAM");
        ObjectNode register = NODES.objectNode()
                .put("username", "bob")
                .put("password", "secret")
                .put("initial_device_display_name", "a\u0000b");
        register.putObject("auth").put("type", "m.login.dummy");
        assertError(hs.anonymous().post("/_matrix/client/v3/register", register), 400, "M_INVALID_PARAM");
        assertThat(hs.anonymous()
                        .get("/_matrix/client/v3/register/available?username=bob")
                        .json()
                        .get("available")
                        .asBoolean())
                .as("nothing was created")
                .isTrue();
    }

    @Test
    void rejectsBadRegistrationAndLoginBodies(TestHomeserver hs) {
        String register = "/_matrix/client/v3/register";
        assertError(hs.anonymous().post(register, NODES.objectNode().put("username", 5)), 400, "M_BAD_JSON");
        assertError(hs.anonymous().post(register, NODES.objectNode().put("auth", "x")), 400, "M_BAD_JSON");
        assertError(hs.anonymous().post(register, NODES.objectNode().put("inhibit_login", "yes")), 400, "M_BAD_JSON");
        assertError(hs.anonymous().post(register, "{"), 400, "M_NOT_JSON");
        assertError(hs.anonymous().post(register, "[]"), 400, "M_BAD_JSON");
        ObjectNode noPassword = NODES.objectNode().put("username", "alice");
        noPassword.putObject("auth").put("type", "m.login.dummy");
        assertError(hs.anonymous().post(register, noPassword), 400, "M_MISSING_PARAM");

        hs.registerUser("alice", "secret");
        String login = "/_matrix/client/v3/login";
        assertError(hs.anonymous().post(login, NODES.objectNode().put("password", "secret")), 400, "M_MISSING_PARAM");
        assertError(hs.anonymous().post(login, NODES.objectNode().put("type", 1)), 400, "M_BAD_JSON");
        ObjectNode body = NODES.objectNode().put("type", "m.login.password").put("password", "secret");
        body.putObject("identifier").put("type", "m.id.user").put("user", "alice");
        assertError(hs.anonymous().post(login, body.deepCopy().put("password", 5)), 400, "M_BAD_JSON");
        assertError(hs.anonymous().post(login, body.deepCopy().put("refresh_token", "yes")), 400, "M_BAD_JSON");
        assertError(hs.anonymous().post(login, body.deepCopy().put("identifier", "alice")), 400, "M_BAD_JSON");
        assertError(hs.anonymous().post(login, body.deepCopy().without("password")), 400, "M_MISSING_PARAM");
        ObjectNode email = body.deepCopy();
        // a third-party identifier needs its medium and address
        email.putObject("identifier").put("type", "m.id.thirdparty");
        assertError(hs.anonymous().post(login, email), 400, "M_MISSING_PARAM");
        ObjectNode legacy = NODES.objectNode()
                .put("type", "m.login.password")
                .put("password", "secret")
                .put("user", "alice");
        hs.anonymous().post(login, legacy).expect(200);

        String refresh = "/_matrix/client/v3/refresh";
        assertError(hs.anonymous().post(refresh, NODES.objectNode()), 400, "M_MISSING_PARAM");
        assertError(hs.anonymous().post(refresh, NODES.objectNode().put("refresh_token", 5)), 400, "M_BAD_JSON");
        assertError(hs.anonymous().post(refresh, "{"), 400, "M_NOT_JSON");
        assertError(hs.anonymous().get("/_matrix/client/v3/register/available"), 400, "M_MISSING_PARAM");
    }

    @Test
    void registersLogsInAndKnowsWhoYouAre(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "secret");
        assertThat(alice.userId()).isEqualTo("@alice:test.local");
        JsonNode whoami =
                alice.get("/_matrix/client/v3/account/whoami").expect(200).json();
        assertThat(whoami.get("user_id").asText()).isEqualTo("@alice:test.local");
        assertThat(whoami.get("device_id").asText()).isEqualTo(alice.deviceId());
        assertThat(whoami.get("is_guest").asBoolean()).isFalse();

        TestClient again = hs.login("alice", "secret");
        assertThat(again.deviceId()).isNotEqualTo(alice.deviceId());
        TestClient byFullId = hs.login("@alice:test.local", "secret");
        assertThat(byFullId.userId()).isEqualTo("@alice:test.local");
    }

    @Test
    void rejectsTakenAndInvalidUsernames(TestHomeserver hs) {
        hs.registerUser("alice");
        ObjectNode body = NODES.objectNode().put("username", "alice").put("password", "pw");
        body.putObject("auth").put("type", "m.login.dummy");
        TestResponse taken = hs.anonymous().post("/_matrix/client/v3/register", body);
        assertThat(taken.status()).isEqualTo(400);
        assertThat(taken.errcode()).isEqualTo("M_USER_IN_USE");

        body.put("username", "bad name");
        TestResponse invalid = hs.anonymous().post("/_matrix/client/v3/register", body);
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.errcode()).isEqualTo("M_INVALID_USERNAME");

        TestResponse available = hs.anonymous().get("/_matrix/client/v3/register/available?username=alice");
        assertThat(available.errcode()).isEqualTo("M_USER_IN_USE");
        assertThat(hs.anonymous()
                        .get("/_matrix/client/v3/register/available?username=bob")
                        .expect(200)
                        .json()
                        .get("available")
                        .asBoolean())
                .isTrue();
    }

    @Test
    @OverrideConfig(key = "enable_registration", value = "false")
    void registrationCanBeClosed(TestHomeserver hs) {
        TestResponse response = hs.anonymous()
                .post(
                        "/_matrix/client/v3/register",
                        NODES.objectNode().put("username", "alice").put("password", "pw"));
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void wrongPasswordIsForbidden(TestHomeserver hs) {
        hs.registerUser("alice", "secret");
        ObjectNode body = NODES.objectNode().put("type", "m.login.password").put("password", "wrong");
        body.putObject("identifier").put("type", "m.id.user").put("user", "alice");
        TestResponse response = hs.anonymous().post("/_matrix/client/v3/login", body);
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.errcode()).isEqualTo("M_FORBIDDEN");
        body.put("password", "secret");
        body.remove("identifier");
        assertThat(hs.anonymous().post("/_matrix/client/v3/login", body).errcode())
                .isEqualTo("M_MISSING_PARAM");
        body.put("type", "m.login.magic");
        assertThat(hs.anonymous().post("/_matrix/client/v3/login", body).errcode())
                .isEqualTo("M_UNKNOWN");
        assertThat(hs.anonymous().post("/_matrix/client/v3/login", "{not json").errcode())
                .isEqualTo("M_NOT_JSON");
    }

    @Test
    void logoutRevokesTheToken(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        alice.post("/_matrix/client/v3/logout", NODES.objectNode()).expect(200);
        TestResponse after = alice.get("/_matrix/client/v3/account/whoami");
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.errcode()).isEqualTo("M_UNKNOWN_TOKEN");
        assertThat(after.json().get("soft_logout").asBoolean()).isFalse();
    }

    @Test
    void logoutAllRevokesEveryDevice(TestHomeserver hs) {
        TestClient first = hs.registerUser("alice", "pw");
        TestClient second = hs.login("alice", "pw");
        second.post("/_matrix/client/v3/logout/all", NODES.objectNode()).expect(200);
        assertThat(first.get("/_matrix/client/v3/account/whoami").status()).isEqualTo(401);
        assertThat(second.get("/_matrix/client/v3/account/whoami").status()).isEqualTo(401);
    }

    @Test
    void refreshableTokensExpireExactlyAfterTheirLifetime(TestHomeserver hs) {
        hs.registerUser("alice", "pw");
        ObjectNode body = NODES.objectNode()
                .put("type", "m.login.password")
                .put("password", "pw")
                .put("refresh_token", true);
        body.putObject("identifier").put("type", "m.id.user").put("user", "alice");
        JsonNode login = hs.anonymous()
                .post("/_matrix/client/v3/login", body)
                .expect(200)
                .json();
        long lifetime = login.get("expires_in_ms").asLong();
        assertThat(lifetime).isPositive();
        String token = login.get("access_token").asText();

        hs.clock().advance(Duration.ofMillis(lifetime));
        assertThat(hs.request("GET", "/_matrix/client/v3/account/whoami", null, token)
                        .status())
                .as("valid at the expiry instant")
                .isEqualTo(200);
        hs.clock().advance(Duration.ofMillis(1));
        TestResponse expired = hs.request("GET", "/_matrix/client/v3/account/whoami", null, token);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.errcode()).isEqualTo("M_UNKNOWN_TOKEN");
        assertThat(expired.json().get("soft_logout").asBoolean()).isTrue();

        JsonNode refreshed = hs.anonymous()
                .post(
                        "/_matrix/client/v3/refresh",
                        NODES.objectNode()
                                .put("refresh_token", login.get("refresh_token").asText()))
                .expect(200)
                .json();
        assertThat(hs.request(
                                "GET",
                                "/_matrix/client/v3/account/whoami",
                                null,
                                refreshed.get("access_token").asText())
                        .status())
                .isEqualTo(200);
        TestResponse reused = hs.anonymous()
                .post(
                        "/_matrix/client/v3/refresh",
                        NODES.objectNode()
                                .put("refresh_token", login.get("refresh_token").asText()));
        assertThat(reused.errcode()).isEqualTo("M_UNKNOWN_TOKEN");
    }

    @Test
    void sharedSecretRegistrationMatchesSynapsesProtocol(TestHomeserver hs) {
        String nonce = hs.anonymous()
                .get("/_synapse/admin/v1/register")
                .expect(200)
                .json()
                .get("nonce")
                .asText();
        String mac = SharedSecretRegisterEndpoints.mac("test-shared-secret", nonce, "admin", "pw", true);
        JsonNode created = hs.anonymous()
                .post(
                        "/_synapse/admin/v1/register",
                        NODES.objectNode()
                                .put("nonce", nonce)
                                .put("username", "admin")
                                .put("password", "pw")
                                .put("admin", true)
                                .put("mac", mac))
                .expect(200)
                .json();
        assertThat(created.get("user_id").asText()).isEqualTo("@admin:test.local");
        assertThat(hs.homeserver()
                        .testSeam()
                        .account(dev.myelin.core.id.UserId.parse("@admin:test.local"))
                        .orElseThrow()
                        .admin())
                .isTrue();

        TestResponse replay = hs.anonymous()
                .post(
                        "/_synapse/admin/v1/register",
                        NODES.objectNode()
                                .put("nonce", nonce)
                                .put("username", "other")
                                .put("password", "pw")
                                .put("mac", mac));
        assertThat(replay.errcode()).isEqualTo("M_INVALID_PARAM");
        String nonce2 = hs.anonymous()
                .get("/_synapse/admin/v1/register")
                .json()
                .get("nonce")
                .asText();
        TestResponse badMac = hs.anonymous()
                .post(
                        "/_synapse/admin/v1/register",
                        NODES.objectNode()
                                .put("nonce", nonce2)
                                .put("username", "other")
                                .put("password", "pw")
                                .put("mac", "00"));
        assertThat(badMac.status()).isEqualTo(403);
    }

    @Test
    void sharedSecretRegistrationRejectsBadBodies(TestHomeserver hs) {
        String path = "/_synapse/admin/v1/register";
        String nonce = hs.anonymous().get(path).expect(200).json().get("nonce").asText();
        ObjectNode body = NODES.objectNode()
                .put("nonce", nonce)
                .put("username", "admin")
                .put("password", "pw")
                .put("mac", SharedSecretRegisterEndpoints.mac("test-shared-secret", nonce, "admin", "pw", false));
        assertError(hs.anonymous().post(path, body.deepCopy().without("mac")), 400, "M_MISSING_PARAM");
        assertError(hs.anonymous().post(path, body.deepCopy().without("nonce")), 400, "M_MISSING_PARAM");
        assertError(hs.anonymous().post(path, body.deepCopy().put("admin", "yes")), 400, "M_BAD_JSON");
        assertError(hs.anonymous().post(path, body.deepCopy().put("username", 5)), 400, "M_BAD_JSON");
        assertError(hs.anonymous().post(path, "{"), 400, "M_NOT_JSON");
        JsonNode created = hs.anonymous().post(path, body).expect(200).json();
        assertThat(created.get("user_id").asText()).isEqualTo("@admin:test.local");
        assertThat(created.get("home_server").asText()).isEqualTo("test.local");
        assertThat(created.has("device_id")).isTrue();
    }

    @Test
    void createsARoomAndSendsIdempotently(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room =
                alice.createRoom(NODES.objectNode().put("name", "Test room").put("topic", "hello"));
        assertThat(room).startsWith("!").endsWith(":test.local");
        ObjectNode content = NODES.objectNode().put("msgtype", "m.text").put("body", "hi");
        String path = "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/send/m.room.message/txn1";
        String first =
                alice.put(path, content).expect(200).json().get("event_id").asText();
        String second =
                alice.put(path, content).expect(200).json().get("event_id").asText();
        assertThat(second).isEqualTo(first);

        TestClient bob = hs.registerUser("bob");
        TestResponse notInRoom = bob.put(path, content);
        assertThat(notInRoom.status()).isEqualTo(403);
        assertThat(notInRoom.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void createsVersionTwelveRoomsWithHashIds(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(NODES.objectNode().put("room_version", "12"));
        assertThat(room).startsWith("!").doesNotContain(":");
        alice.sendMessage(room, "hello v12");
        TestResponse unknown =
                alice.post("/_matrix/client/v3/createRoom", NODES.objectNode().put("room_version", "99"));
        assertThat(unknown.errcode()).isEqualTo("M_UNSUPPORTED_ROOM_VERSION");
    }
}
