package dev.myelin.server.api;

import static dev.myelin.server.api.DeviceApiTest.passwordAuth;
import static dev.myelin.server.api.DeviceApiTest.uiaChallenge;
import static dev.myelin.server.api.ProfileApiTest.assertError;
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

/** How a user-interactive auth session is bound to the request that started it, and replayed. */
@ExtendWith(HomeserverExtension.class)
class UserInteractiveAuthApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String REGISTER = "/_matrix/client/v3/register";
    private static final String DEVICES = "/_matrix/client/v3/devices/";

    @Test
    void registrationRemembersTheParametersOfTheRequestThatStartedIt(TestHomeserver hs) {
        TestResponse first = hs.anonymous()
                .post(
                        REGISTER,
                        NODES.objectNode()
                                .put("username", "alice")
                                .put("password", "s3kr1t")
                                .put("device_id", "XYZZY")
                                .put("initial_device_display_name", "display name"));
        assertThat(first.status()).isEqualTo(401);
        String session = first.json().get("session").asText();

        JsonNode registered = hs.anonymous()
                .post(REGISTER, dummy(NODES.objectNode(), session))
                .expect(200)
                .json();
        assertThat(registered.get("user_id").asText()).isEqualTo("@alice:test.local");
        assertThat(registered.get("device_id").asText()).isEqualTo("XYZZY");
        String token = registered.get("access_token").asText();
        assertThat(hs.request("GET", DEVICES + "XYZZY", null, token)
                        .expect(200)
                        .json()
                        .get("display_name")
                        .asText())
                .isEqualTo("display name");
        hs.login("alice", "s3kr1t");
    }

    @Test
    void inhibitLoginIsRememberedToo(TestHomeserver hs) {
        String session = hs.anonymous()
                .post(
                        REGISTER,
                        NODES.objectNode()
                                .put("username", "alice")
                                .put("password", "pw")
                                .put("inhibit_login", true))
                .json()
                .get("session")
                .asText();
        assertThat(hs.anonymous()
                        .post(REGISTER, dummy(NODES.objectNode(), session))
                        .expect(200)
                        .json())
                .isEqualTo(
                        NODES.objectNode().put("user_id", "@alice:test.local").put("home_server", "test.local"));
    }

    @Test
    void retryingACompletedRegistrationAnswersWithTheSameAccount(TestHomeserver hs) {
        ObjectNode body = NODES.objectNode().put("password", "pw");
        String session =
                hs.anonymous().post(REGISTER, body).json().get("session").asText();
        JsonNode once =
                hs.anonymous().post(REGISTER, dummy(body, session)).expect(200).json();
        JsonNode twice =
                hs.anonymous().post(REGISTER, dummy(body, session)).expect(200).json();
        assertThat(twice.get("user_id")).isEqualTo(once.get("user_id"));
        assertThat(twice.get("access_token").asText())
                .isNotEqualTo(once.get("access_token").asText());
        hs.request(
                        "GET",
                        "/_matrix/client/v3/account/whoami",
                        null,
                        twice.get("access_token").asText())
                .expect(200);

        ObjectNode named = NODES.objectNode().put("username", "bob").put("password", "pw");
        String bobSession =
                hs.anonymous().post(REGISTER, named).json().get("session").asText();
        hs.anonymous().post(REGISTER, dummy(named, bobSession)).expect(200);
        assertThat(hs.anonymous()
                        .post(REGISTER, dummy(named, bobSession))
                        .expect(200)
                        .json()
                        .get("user_id")
                        .asText())
                .as("not 'in use': this session created it")
                .isEqualTo("@bob:test.local");
        // another session cannot take the name
        String other = hs.anonymous()
                .post(REGISTER, NODES.objectNode().put("password", "pw"))
                .json()
                .get("session")
                .asText();
        assertError(hs.anonymous().post(REGISTER, dummy(named, other)), 400, "M_USER_IN_USE");
    }

    @Test
    void aRegistrationSessionCannotBeContinuedWithOtherParameters(TestHomeserver hs) {
        ObjectNode body = NODES.objectNode().put("username", "alice").put("password", "pw");
        String session =
                hs.anonymous().post(REGISTER, body).json().get("session").asText();
        ObjectNode changed = NODES.objectNode().put("username", "mallory").put("password", "pw");
        assertError(hs.anonymous().post(REGISTER, dummy(changed, session)), 403, "M_FORBIDDEN");
        assertError(hs.anonymous().get("/_matrix/client/v3/profile/@mallory:test.local"), 404, "M_NOT_FOUND");
        // a session of no parameters takes those of the request that continues it
        String empty = hs.anonymous()
                .post(REGISTER, NODES.objectNode())
                .json()
                .get("session")
                .asText();
        assertThat(hs.anonymous()
                        .post(REGISTER, dummy(body, empty))
                        .expect(200)
                        .json()
                        .get("user_id")
                        .asText())
                .isEqualTo("@alice:test.local");
    }

    @Test
    void aSessionStartedForOneDeviceCannotDeleteAnother(TestHomeserver hs) {
        TestClient laptop = hs.registerUser("alice", "pw");
        TestClient phone = hs.login("alice", "pw");
        TestClient tablet = hs.login("alice", "pw");
        String session = laptop.request("DELETE", DEVICES + phone.deviceId(), NODES.objectNode())
                .json()
                .get("session")
                .asText();

        assertError(
                laptop.request("DELETE", DEVICES + tablet.deviceId(), passwordAuth(laptop.userId(), "pw", session)),
                403,
                "M_FORBIDDEN");
        laptop.get(DEVICES + tablet.deviceId()).expect(200);
        ObjectNode bulk = passwordAuth(laptop.userId(), "pw", session);
        bulk.putArray("devices").add(tablet.deviceId());
        assertError(laptop.post("/_matrix/client/v3/delete_devices", bulk), 403, "M_FORBIDDEN");
        laptop.get(DEVICES + tablet.deviceId()).expect(200);

        // the session still serves the operation it was started for
        laptop.request("DELETE", DEVICES + phone.deviceId(), passwordAuth(laptop.userId(), "pw", session))
                .expect(200);
        assertError(laptop.get(DEVICES + phone.deviceId()), 404, "M_NOT_FOUND");
    }

    @Test
    void aSessionIsBoundToTheUserWhoStartedItAndToTheDevicesListed(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        TestClient alicePhone = hs.login("alice", "pw");
        TestClient bob = hs.registerUser("bob", "bobpw");
        ObjectNode devices = NODES.objectNode();
        devices.putArray("devices").add(alicePhone.deviceId());
        String session = alice.post("/_matrix/client/v3/delete_devices", devices)
                .json()
                .get("session")
                .asText();

        ObjectNode asBob = passwordAuth(bob.userId(), "bobpw", session);
        asBob.putArray("devices").add(bob.deviceId());
        assertError(bob.post("/_matrix/client/v3/delete_devices", asBob), 403, "M_FORBIDDEN");
        ObjectNode otherDevices = passwordAuth(alice.userId(), "pw", session);
        otherDevices.putArray("devices").add(alice.deviceId());
        assertError(alice.post("/_matrix/client/v3/delete_devices", otherDevices), 403, "M_FORBIDDEN");
        alice.get("/_matrix/client/v3/account/whoami").expect(200);

        ObjectNode same = passwordAuth(alice.userId(), "pw", session);
        same.putArray("devices").add(alicePhone.deviceId());
        alice.post("/_matrix/client/v3/delete_devices", same).expect(200);
        assertError(alicePhone.get("/_matrix/client/v3/account/whoami"), 401, "M_UNKNOWN_TOKEN");
    }

    @Test
    void everyAnswerToAnAttemptListsTheCompletedStages(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        TestResponse wrong =
                alice.post("/_matrix/client/v3/account/deactivate", passwordAuth(alice.userId(), "nope", null));
        assertThat(wrong.status()).isEqualTo(401);
        String session = wrong.json().get("session").asText();
        assertThat(wrong.json())
                .isEqualTo(uiaChallenge("m.login.password", session, "M_FORBIDDEN", "Invalid password"));

        ObjectNode onlySession = NODES.objectNode();
        onlySession.putObject("auth").put("session", session);
        TestResponse asked = alice.post("/_matrix/client/v3/account/deactivate", onlySession);
        assertThat(asked.status()).isEqualTo(401);
        ObjectNode expected = uiaChallenge("m.login.password", session, null, null);
        expected.putArray("completed");
        assertThat(asked.json()).isEqualTo(expected);
    }

    private static ObjectNode dummy(ObjectNode body, String session) {
        ObjectNode withAuth = body.deepCopy();
        withAuth.putObject("auth").put("type", "m.login.dummy").put("session", session);
        return withAuth;
    }
}
