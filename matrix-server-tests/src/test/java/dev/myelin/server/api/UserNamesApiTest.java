package dev.myelin.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.server.api.admin.SharedSecretRegisterEndpoints;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * User names as clients type them: digits-only localparts are reserved (for generated and guest
 * accounts) on every way in, and a full user id of this server is case-folded like a bare
 * localpart when logging in.
 */
@ExtendWith(HomeserverExtension.class)
class UserNamesApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void digitsOnlyLocalpartsCannotBeRegisteredChosenOrCreatedByAnAdmin(TestHomeserver hs) {
        for (String name : new String[] {"12345", "@67890:test.local", "007"}) {
            TestResponse register = hs.anonymous()
                    .post(
                            "/_matrix/client/v3/register",
                            NODES.objectNode()
                                    .put("username", name)
                                    .put("password", "pw")
                                    .set("auth", NODES.objectNode().put("type", "m.login.dummy")));
            assertThat(register.status()).as(name).isEqualTo(400);
            assertThat(register.errcode()).as(name).isEqualTo("M_INVALID_USERNAME");
            assertThat(register.json().get("error").asText()).as(name).contains("digits");

            TestResponse available = hs.anonymous()
                    .get("/_matrix/client/v3/register/available?username="
                            + dev.myelin.testing.TestClient.encode(name));
            assertThat(available.errcode()).as(name).isEqualTo("M_INVALID_USERNAME");
        }
        String nonce = hs.anonymous()
                .get("/_synapse/admin/v1/register")
                .expect(200)
                .json()
                .get("nonce")
                .asText();
        TestResponse admin = hs.anonymous()
                .post(
                        "/_synapse/admin/v1/register",
                        NODES.objectNode()
                                .put("nonce", nonce)
                                .put("username", "4242")
                                .put("password", "pw")
                                .put(
                                        "mac",
                                        SharedSecretRegisterEndpoints.mac(
                                                "test-shared-secret", nonce, "4242", "pw", false)));
        assertThat(admin.status()).isEqualTo(400);
        assertThat(admin.errcode()).isEqualTo("M_INVALID_USERNAME");

        assertThat(hs.registerUser("1a2").userId())
                .as("digits with anything else are fine")
                .isEqualTo("@1a2:test.local");
        assertThat(hs.registerUser("@Carol:Test.Local").userId())
                .as("a full id is folded whole")
                .isEqualTo("@carol:test.local");
        TestResponse generated = hs.anonymous()
                .post(
                        "/_matrix/client/v3/register",
                        NODES.objectNode()
                                .put("password", "pw")
                                .set("auth", NODES.objectNode().put("type", "m.login.dummy")));
        assertThat(generated.expect(200).json().get("user_id").asText())
                .as("generated ids are digits")
                .matches("@[0-9]+:test\\.local");
    }

    @Test
    void aFullUserIdLogsInLikeItsLocalpartWhateverItsCase(TestHomeserver hs) {
        hs.registerUser("alice", "secret");
        for (String name : new String[] {
            "Alice", "@Alice:test.local", "@ALICE:test.local", "@alice:test.local", "@Alice:TEST.local"
        }) {
            ObjectNode byIdentifier =
                    NODES.objectNode().put("type", "m.login.password").put("password", "secret");
            byIdentifier.putObject("identifier").put("type", "m.id.user").put("user", name);
            assertThat(hs.anonymous()
                            .post("/_matrix/client/v3/login", byIdentifier)
                            .expect(200)
                            .json()
                            .get("user_id")
                            .asText())
                    .as(name)
                    .isEqualTo("@alice:test.local");

            ObjectNode legacy = NODES.objectNode()
                    .put("type", "m.login.password")
                    .put("password", "secret")
                    .put("user", name);
            assertThat(hs.anonymous()
                            .post("/_matrix/client/v3/login", legacy)
                            .expect(200)
                            .json()
                            .get("user_id")
                            .asText())
                    .as("legacy user field: " + name)
                    .isEqualTo("@alice:test.local");
        }
        ObjectNode remote = NODES.objectNode().put("type", "m.login.password").put("password", "secret");
        remote.putObject("identifier").put("type", "m.id.user").put("user", "@Alice:elsewhere.example");
        TestResponse refused = hs.anonymous().post("/_matrix/client/v3/login", remote);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errcode()).isEqualTo("M_FORBIDDEN");
    }
}
