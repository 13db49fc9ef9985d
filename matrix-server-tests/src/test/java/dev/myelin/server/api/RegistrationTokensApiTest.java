package dev.myelin.server.api;

import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Token-authenticated registration: Synapse's admin API for the tokens, the spec's validity check,
 * and the {@code m.login.registration_token} stage with {@code registration_requires_token}.
 */
@ExtendWith(HomeserverExtension.class)
class RegistrationTokensApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKENS = "/_synapse/admin/v1/registration_tokens";
    private static final String VALIDITY = "/_matrix/client/v1/register/m.login.registration_token/validity?token=";
    private static final String REGISTER = "/_matrix/client/v3/register";

    @Test
    void adminsCreateListChangeAndDeleteTokens(TestHomeserver hs) throws Exception {
        String admin = WhoisApiTest.registerAdmin(hs);
        long expiry = hs.clock().nowMillis() + 3_600_000;

        JsonNode random = call(hs, admin, "POST", TOKENS + "/new", NODES.objectNode(), 200);
        assertThat(random.path("token").asText()).matches("[A-Za-z0-9._~-]{16}");
        assertThat(random)
                .isEqualTo(JSON.readTree("{\"token\":\"" + random.path("token").asText()
                        + "\",\"uses_allowed\":null,\"pending\":0,\"completed\":0,\"expiry_time\":null}"));
        assertThat(call(hs, admin, "POST", TOKENS + "/new", NODES.objectNode().put("length", 5), 200)
                        .path("token")
                        .asText())
                .hasSize(5);
        JsonNode given = call(
                hs,
                admin,
                "POST",
                TOKENS + "/new",
                NODES.objectNode().put("token", "abc").put("uses_allowed", 1).put("expiry_time", expiry),
                200);
        assertThat(given)
                .isEqualTo(JSON.readTree("{\"token\":\"abc\",\"uses_allowed\":1,\"pending\":0,"
                        + "\"completed\":0,\"expiry_time\":" + expiry + "}"));
        assertThat(call(hs, admin, "GET", TOKENS + "/abc", null, 200)).isEqualTo(given);
        // synadm sends its default length along with the token it names: the length is not used
        assertThat(call(
                                hs,
                                admin,
                                "POST",
                                TOKENS + "/new",
                                NODES.objectNode().put("token", "named").put("length", 16),
                                200)
                        .path("token")
                        .asText())
                .isEqualTo("named");
        assertThat(tokens(call(hs, admin, "GET", TOKENS, null, 200))).hasSize(4).contains("abc", "named");

        JsonNode usedUp =
                call(hs, admin, "PUT", TOKENS + "/abc", NODES.objectNode().put("uses_allowed", 0), 200);
        assertThat(usedUp.path("uses_allowed").asInt()).isZero();
        assertThat(usedUp.path("expiry_time").asLong()).isEqualTo(expiry);
        assertThat(tokens(call(hs, admin, "GET", TOKENS + "?valid=false", null, 200)))
                .containsExactly("abc");
        assertThat(tokens(call(hs, admin, "GET", TOKENS + "?valid=true", null, 200)))
                .hasSize(3)
                .doesNotContain("abc");
        ObjectNode unlimited = NODES.objectNode();
        unlimited.putNull("uses_allowed");
        unlimited.putNull("expiry_time");
        assertThat(call(hs, admin, "PUT", TOKENS + "/abc", unlimited, 200))
                .isEqualTo(JSON.readTree("{\"token\":\"abc\",\"uses_allowed\":null,\"pending\":0,"
                        + "\"completed\":0,\"expiry_time\":null}"));

        assertThat(call(hs, admin, "DELETE", TOKENS + "/abc", null, 200)).isEqualTo(NODES.objectNode());
        assertError(hs, admin, "DELETE", TOKENS + "/abc", null, 404, "M_NOT_FOUND");
        assertError(hs, admin, "GET", TOKENS + "/abc", null, 404, "M_NOT_FOUND");
        assertError(hs, admin, "PUT", TOKENS + "/abc", NODES.objectNode(), 404, "M_NOT_FOUND");
    }

    @Test
    void badTokenValuesAndNonAdminsAreRefused(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        String alice = hs.registerUser("alice").accessToken().orElseThrow();
        call(hs, admin, "POST", TOKENS + "/new", NODES.objectNode().put("token", "taken"), 200);
        for (ObjectNode bad : List.of(
                NODES.objectNode().put("token", "taken"),
                NODES.objectNode().put("token", "has space"),
                NODES.objectNode().put("token", "x".repeat(65)),
                NODES.objectNode().put("token", ""),
                NODES.objectNode().put("token", 5),
                NODES.objectNode().put("uses_allowed", -1),
                NODES.objectNode().put("uses_allowed", "many"),
                NODES.objectNode().put("uses_allowed", 1.5),
                NODES.objectNode().put("expiry_time", hs.clock().nowMillis() - 1),
                NODES.objectNode().put("expiry_time", "tomorrow"),
                NODES.objectNode().put("length", 0),
                NODES.objectNode().put("length", 65))) {
            assertError(hs, admin, "POST", TOKENS + "/new", bad, 400, "M_INVALID_PARAM");
        }
        assertError(
                hs,
                admin,
                "PUT",
                TOKENS + "/taken",
                NODES.objectNode().put("uses_allowed", -2),
                400,
                "M_INVALID_PARAM");
        assertError(hs, admin, "GET", TOKENS + "?valid=maybe", null, 400, "M_INVALID_PARAM");
        assertError(hs, alice, "GET", TOKENS, null, 403, "M_FORBIDDEN");
        assertError(hs, alice, "POST", TOKENS + "/new", NODES.objectNode(), 403, "M_FORBIDDEN");
        assertError(hs, alice, "DELETE", TOKENS + "/taken", null, 403, "M_FORBIDDEN");
        assertThat(hs.anonymous().get(TOKENS).status()).isEqualTo(401);
    }

    @Test
    @OverrideConfig(key = "registration_requires_token", value = "true")
    void registrationTakesAValidTokenAndUsesItUp(TestHomeserver hs) throws Exception {
        String admin = WhoisApiTest.registerAdmin(hs);
        call(
                hs,
                admin,
                "POST",
                TOKENS + "/new",
                NODES.objectNode().put("token", "once").put("uses_allowed", 1),
                200);

        ObjectNode alice = NODES.objectNode().put("username", "alice").put("password", "pw");
        TestResponse challenge =
                hs.request("POST", REGISTER, alice, (String) null).expect(401);
        assertThat(challenge.json().path("flows"))
                .isEqualTo(JSON.readTree("[{\"stages\":[\"m.login.registration_token\",\"m.login.dummy\"]}]"));
        String session = challenge.json().path("session").asText();
        // the dummy stage alone does not register while tokens are required
        ObjectNode carol = NODES.objectNode().put("username", "carol").put("password", "pw");
        String carolSession = hs.request("POST", REGISTER, carol, (String) null)
                .expect(401)
                .json()
                .path("session")
                .asText();
        assertThat(register(hs, carol, dummyAuth(carolSession)).status()).isEqualTo(401);

        TestResponse wrong = register(hs, alice, tokenAuth("wrong", session)).expect(401);
        assertThat(wrong.json().path("errcode").asText()).isEqualTo("M_UNAUTHORIZED");
        assertThat(wrong.json().path("completed")).isEqualTo(NODES.arrayNode());

        TestResponse tokenDone = register(hs, alice, tokenAuth("once", session)).expect(401);
        assertThat(tokenDone.json().path("completed").toString()).contains("m.login.registration_token");
        assertThat(call(hs, admin, "GET", TOKENS + "/once", null, 200)
                        .path("pending")
                        .asInt())
                .isEqualTo(1);
        // its one use is held by alice's registration
        assertThat(hs.anonymous().get(VALIDITY + "once").expect(200).json())
                .isEqualTo(NODES.objectNode().put("valid", false));

        JsonNode registered =
                register(hs, alice, dummyAuth(session)).expect(200).json();
        assertThat(registered.path("user_id").asText()).isEqualTo("@alice:" + hs.serverName());
        assertThat(call(hs, admin, "GET", TOKENS + "/once", null, 200))
                .isEqualTo(JSON.readTree("{\"token\":\"once\",\"uses_allowed\":1,\"pending\":0,"
                        + "\"completed\":1,\"expiry_time\":null}"));

        ObjectNode bob = NODES.objectNode().put("username", "bob").put("password", "pw");
        String bobSession = hs.request("POST", REGISTER, bob, (String) null)
                .expect(401)
                .json()
                .path("session")
                .asText();
        assertThat(register(hs, bob, tokenAuth("once", bobSession))
                        .expect(401)
                        .json()
                        .path("errcode")
                        .asText())
                .isEqualTo("M_UNAUTHORIZED");

        call(
                hs,
                admin,
                "POST",
                TOKENS + "/new",
                NODES.objectNode()
                        .put("token", "brief")
                        .put("expiry_time", hs.clock().nowMillis() + 1000),
                200);
        assertThat(hs.anonymous()
                        .get(VALIDITY + "brief")
                        .expect(200)
                        .json()
                        .path("valid")
                        .asBoolean())
                .isTrue();
        hs.clock().advance(Duration.ofSeconds(2));
        assertThat(hs.anonymous()
                        .get(VALIDITY + "brief")
                        .expect(200)
                        .json()
                        .path("valid")
                        .asBoolean())
                .isFalse();
        assertThat(register(hs, bob, tokenAuth("brief", bobSession))
                        .expect(401)
                        .json()
                        .path("errcode")
                        .asText())
                .isEqualTo("M_UNAUTHORIZED");
        assertThat(hs.anonymous()
                        .get("/_matrix/client/v3/register/available?username=bob")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void theValidityCheckAnswersForAnyTokenAndRefusesMalformedOnes(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        call(hs, admin, "POST", TOKENS + "/new", NODES.objectNode().put("token", "good.token~1"), 200);
        assertThat(hs.anonymous().get(VALIDITY + "good.token~1").expect(200).json())
                .isEqualTo(NODES.objectNode().put("valid", true));
        assertThat(hs.anonymous().get(VALIDITY + "unknown").expect(200).json())
                .isEqualTo(NODES.objectNode().put("valid", false));
        assertError(hs, null, "GET", VALIDITY + encode("has space"), null, 400, "M_INVALID_PARAM");
        assertError(hs, null, "GET", VALIDITY + "x".repeat(65), null, 400, "M_INVALID_PARAM");
        assertError(hs, null, "GET", VALIDITY.substring(0, VALIDITY.indexOf('?')), null, 400, "M_MISSING_PARAM");
    }

    @Test
    @OverrideConfig(key = "enable_registration", value = "false")
    void theValidityCheckIsForbiddenWithoutRegistration(TestHomeserver hs) {
        assertError(hs, null, "GET", VALIDITY + "anything", null, 403, "M_FORBIDDEN");
    }

    private static ObjectNode tokenAuth(String token, String session) {
        return NODES.objectNode()
                .put("type", "m.login.registration_token")
                .put("token", token)
                .put("session", session);
    }

    private static ObjectNode dummyAuth(String session) {
        return NODES.objectNode().put("type", "m.login.dummy").put("session", session);
    }

    private static TestResponse register(TestHomeserver hs, ObjectNode registration, ObjectNode auth) {
        ObjectNode body = registration.deepCopy();
        body.set("auth", auth);
        return hs.request("POST", REGISTER, body, (String) null);
    }

    private static List<String> tokens(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.path("registration_tokens").forEach(t -> out.add(t.path("token").asText()));
        return out;
    }

    private static JsonNode call(TestHomeserver hs, String token, String method, String path, Object body, int status) {
        return hs.request(method, path, body, token).expect(status).json();
    }

    private static void assertError(
            TestHomeserver hs, String token, String method, String path, Object body, int status, String errcode) {
        TestResponse response = hs.request(method, path, body, token);
        assertThat(response.status()).as("%s %s %s", method, path, body).isEqualTo(status);
        assertThat(response.errcode()).as("%s %s %s", method, path, body).isEqualTo(errcode);
    }
}
