package dev.myelin.server.api;

import static dev.myelin.server.api.DeviceApiTest.passwordAuth;
import static dev.myelin.server.api.ProfileApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class LoginTokenApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String GET_TOKEN = "/_matrix/client/v1/login/get_token";
    private static final String LOGIN = "/_matrix/client/v3/login";

    @Test
    void aLoggedInDeviceMakesASingleUseTokenForANewOne(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "secret");
        String token = getToken(alice, "secret");

        JsonNode login = hs.anonymous()
                .post(LOGIN, NODES.objectNode().put("type", "m.login.token").put("token", token))
                .expect(200)
                .json();
        assertThat(login.get("user_id").asText()).isEqualTo("@alice:test.local");
        assertThat(login.get("device_id").asText()).isNotEqualTo(alice.deviceId());
        String newToken = login.get("access_token").asText();
        assertThat(hs.request("GET", "/_matrix/client/v3/account/whoami", null, newToken)
                        .expect(200)
                        .json()
                        .get("user_id")
                        .asText())
                .isEqualTo("@alice:test.local");

        // once only
        assertError(
                hs.anonymous()
                        .post(
                                LOGIN,
                                NODES.objectNode().put("type", "m.login.token").put("token", token)),
                403,
                "M_FORBIDDEN");
    }

    @Test
    void tokensExpireAfterTwoMinutes(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "secret");
        String token = getToken(alice, "secret");
        hs.clock().advance(Duration.ofMinutes(2).plusSeconds(1));
        assertError(
                hs.anonymous()
                        .post(
                                LOGIN,
                                NODES.objectNode().put("type", "m.login.token").put("token", token)),
                403,
                "M_FORBIDDEN");
    }

    @Test
    void makingATokenAlwaysAsksForThePassword(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "secret");
        JsonNode challenge =
                alice.post(GET_TOKEN, NODES.objectNode()).expect(401).json();
        assertThat(challenge.at("/flows/0/stages/0").asText()).isEqualTo("m.login.password");
        String session = challenge.get("session").asText();
        assertError(alice.post(GET_TOKEN, passwordAuth("@alice:test.local", "wrong", session)), 401, "M_FORBIDDEN");
        assertError(hs.anonymous().post(GET_TOKEN, NODES.objectNode()), 401, "M_MISSING_TOKEN");
        assertError(
                hs.anonymous()
                        .post(
                                LOGIN,
                                NODES.objectNode().put("type", "m.login.token").put("token", "made-up")),
                403,
                "M_FORBIDDEN");
        assertError(
                hs.anonymous().post(LOGIN, NODES.objectNode().put("type", "m.login.token")), 400, "M_MISSING_PARAM");
    }

    @Test
    void theLoginFlowsAndCapabilitiesSayTokensCanBeMade(TestHomeserver hs) {
        JsonNode flows = hs.anonymous().get(LOGIN).expect(200).json().get("flows");
        ObjectNode tokenFlow = NODES.objectNode().put("type", "m.login.token").put("get_login_token", true);
        assertThat(flows).contains(tokenFlow, NODES.objectNode().put("type", "m.login.password"));
    }

    static String getToken(TestClient client, String password) {
        String session = client.post(GET_TOKEN, NODES.objectNode())
                .expect(401)
                .json()
                .get("session")
                .asText();
        JsonNode answer = client.post(GET_TOKEN, passwordAuth(client.userId(), password, session))
                .expect(200)
                .json();
        assertThat(answer.get("expires_in_ms").asLong()).isEqualTo(120_000);
        return answer.get("login_token").asText();
    }
}
