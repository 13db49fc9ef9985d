package dev.myelin.server.api;

import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Synapse's user admin API as admin tools (synadm) call it: the account list and one account. */
@ExtendWith(HomeserverExtension.class)
class AdminUsersApiTest {
    private static final String USERS = "/_synapse/admin/v2/users";

    private static JsonNode asAdmin(TestHomeserver hs, String token, String pathAndQuery, int status) {
        String separator = pathAndQuery.contains("?") ? "&" : "?";
        return hs.anonymous()
                .get(pathAndQuery + separator + "access_token=" + encode(token))
                .expect(status)
                .json();
    }

    private static List<String> names(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("users").forEach(u -> out.add(u.path("name").asText()));
        return out;
    }

    @Test
    void adminsPageThroughTheAccountsAndReadOne(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        hs.registerUser("bob");
        hs.registerUser("carol");

        JsonNode first = asAdmin(hs, admin, USERS + "?limit=2", 200);
        assertThat(first.path("total").asLong()).isEqualTo(4);
        assertThat(names(first)).containsExactly("@admin:" + hs.serverName(), "@alice:" + hs.serverName());
        assertThat(first.path("next_token").asText()).isEqualTo("2");
        JsonNode second = asAdmin(hs, admin, USERS + "?limit=2&from=2", 200);
        assertThat(names(second)).containsExactly("@bob:" + hs.serverName(), "@carol:" + hs.serverName());
        assertThat(second.has("next_token")).isFalse();
        assertThat(names(asAdmin(hs, admin, USERS + "?name=CAR", 200))).containsExactly("@carol:" + hs.serverName());

        JsonNode details = asAdmin(hs, admin, USERS + "/" + encode(alice.userId()), 200);
        assertThat(details.path("name").asText()).isEqualTo(alice.userId());
        assertThat(details.path("admin").asBoolean()).isFalse();
        assertThat(details.path("deactivated").asBoolean()).isFalse();
        assertThat(details.path("displayname").asText()).isEqualTo("alice");
        assertThat(details.path("creation_ts").asLong()).isPositive();
        assertThat(asAdmin(hs, admin, USERS + "/" + encode("@admin:" + hs.serverName()), 200)
                        .path("admin")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void othersAndBadInputAreRefused(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        assertThat(alice.get(USERS).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(alice.get(USERS + "/" + encode(alice.userId())).expect(403).errcode())
                .isEqualTo("M_FORBIDDEN");
        assertThat(hs.anonymous().get(USERS).expect(401).errcode()).isEqualTo("M_MISSING_TOKEN");
        assertThat(asAdmin(hs, admin, USERS + "/" + encode("@nobody:" + hs.serverName()), 404)
                        .path("errcode")
                        .asText())
                .isEqualTo("M_NOT_FOUND");
        assertThat(asAdmin(hs, admin, USERS + "/not-a-user", 400)
                        .path("errcode")
                        .asText())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(asAdmin(hs, admin, USERS + "?limit=ten", 400).path("errcode").asText())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(asAdmin(hs, admin, USERS + "?from=-1", 400).path("errcode").asText())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(asAdmin(hs, admin, USERS + "?deactivated=maybe", 400)
                        .path("errcode")
                        .asText())
                .isEqualTo("M_INVALID_PARAM");
    }

    @Test
    void adminsDeactivateAccounts(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String deactivate = "/_synapse/admin/v1/deactivate/" + encode(alice.userId());
        assertThat(bob.post(deactivate, JsonNodeFactory.instance.objectNode())
                        .expect(403)
                        .errcode())
                .isEqualTo("M_FORBIDDEN");

        String withToken = deactivate + "?access_token=" + encode(admin);
        var body = JsonNodeFactory.instance.objectNode().put("erase", false);
        assertThat(hs.anonymous()
                        .post(withToken, body)
                        .expect(200)
                        .json()
                        .path("id_server_unbind_result")
                        .asText())
                .isEqualTo("success");
        assertThat(alice.get("/_matrix/client/v3/account/whoami").expect(401).errcode())
                .isEqualTo("M_UNKNOWN_TOKEN");
        assertThat(names(asAdmin(hs, admin, USERS, 200))).doesNotContain(alice.userId());
        assertThat(names(asAdmin(hs, admin, USERS + "?deactivated=true", 200))).contains(alice.userId());
        assertThat(asAdmin(hs, admin, USERS + "/" + encode(alice.userId()), 200)
                        .path("deactivated")
                        .asBoolean())
                .isTrue();
        hs.anonymous().post(withToken, body).expect(200);
        assertThat(hs.anonymous()
                        .post(
                                "/_synapse/admin/v1/deactivate/" + encode("@nobody:" + hs.serverName())
                                        + "?access_token=" + encode(admin),
                                body)
                        .expect(404)
                        .errcode())
                .isEqualTo("M_NOT_FOUND");
    }
}
