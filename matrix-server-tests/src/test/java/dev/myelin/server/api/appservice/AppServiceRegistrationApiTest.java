package dev.myelin.server.api.appservice;

import static dev.myelin.server.api.appservice.FakeBridges.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /register} with {@code m.login.application_service}: a service creates the users of its namespace. */
class AppServiceRegistrationApiTest {
    private static final String REGISTER = "/_matrix/client/v3/register";

    @TempDir
    Path dir;

    private static void assertError(TestResponse response, int status, String errcode) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errcode()).as(response.body()).isEqualTo(errcode);
    }

    private static JsonNode asService(String username) {
        return json("{\"type\": \"m.login.application_service\", \"username\": \"" + username + "\"}");
    }

    @Test
    void aServiceRegistersUsersOfItsNamespaceWithoutAuthEvenWhenRegistrationIsClosed() {
        FakeBridges bridges = new FakeBridges(dir).register("irc", true);
        try (TestHomeserver hs = TestHomeserver.builder()
                .config("enable_registration", "false")
                .config("app_service_config_files", "['" + dir.resolve("irc.yaml") + "']")
                .appServiceTransport(bridges)
                .start()) {
            JsonNode created = hs.request("POST", REGISTER, asService("irc_bob"), "as-irc")
                    .expect(200)
                    .json();
            assertThat(created.get("user_id").asText()).isEqualTo("@irc_bob:test.local");
            String token = created.get("access_token").asText();
            assertThat(hs.request("GET", "/_matrix/client/v3/account/whoami", null, token)
                            .expect(200)
                            .json()
                            .get("user_id")
                            .asText())
                    .isEqualTo("@irc_bob:test.local");
            JsonNode quiet = json("{\"type\": \"m.login.application_service\", \"username\": \"irc_carol\", "
                    + "\"inhibit_login\": true}");
            assertThat(hs.request("POST", REGISTER, quiet, "as-irc").expect(200).json())
                    .isEqualTo(json("{\"user_id\": \"@irc_carol:test.local\", \"home_server\": \"test.local\"}"));

            hs.request("POST", REGISTER, asService("@irc_full:test.local"), "as-irc")
                    .expect(200);
            assertError(hs.request("POST", REGISTER, asService("irc_bob"), "as-irc"), 400, "M_USER_IN_USE");
            assertError(
                    hs.request("POST", REGISTER, asService("@irc_x:elsewhere"), "as-irc"), 400, "M_INVALID_USERNAME");
            assertError(hs.request("POST", REGISTER, asService("alice"), "as-irc"), 400, "M_EXCLUSIVE");
            assertError(
                    hs.request("POST", REGISTER, json("{\"type\": \"m.login.application_service\"}"), "as-irc"),
                    400,
                    "M_MISSING_PARAM");
            assertError(
                    hs.request("POST", REGISTER, json("{\"username\": \"irc_dan\"}"), "as-irc"),
                    400,
                    "M_INVALID_PARAM");
            assertError(hs.request("POST", REGISTER, asService("irc_dan"), (String) null), 401, "M_MISSING_TOKEN");
            assertError(hs.request("POST", REGISTER, asService("irc_dan"), token), 401, "M_UNKNOWN_TOKEN");
            assertError(hs.request("POST", REGISTER, asService("Not Valid"), "as-irc"), 400, "M_INVALID_USERNAME");
        }
    }

    @Test
    void nobodyElseTakesAUserIdOfAnExclusiveNamespaceButItsService() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("owner.yaml"), """
                id: owner
                url: null
                as_token: as-owner
                hs_token: hs-owner
                sender_localpart: owner-bot
                namespaces: {users: [{exclusive: true, regex: '@_?owned_.*'}]}
                """);
        try (TestHomeserver hs = TestHomeserver.builder()
                .config("app_service_config_files", "['" + dir.resolve("owner.yaml") + "']")
                .start()) {
            JsonNode dummy = json("{\"username\": \"owned_x\", \"password\": \"a long password\", "
                    + "\"auth\": {\"type\": \"m.login.dummy\"}}");
            assertError(hs.request("POST", REGISTER, dummy, (String) null), 400, "M_EXCLUSIVE");
            hs.request("POST", REGISTER, asService("owned_x"), "as-owner").expect(200);
            // bridges name their users with a leading underscore, which users may not
            assertThat(hs.request("POST", REGISTER, asService("_owned_1"), "as-owner")
                            .expect(200)
                            .json()
                            .get("user_id")
                            .asText())
                    .isEqualTo("@_owned_1:test.local");
            hs.registerUser("someone");
        }
    }
}
