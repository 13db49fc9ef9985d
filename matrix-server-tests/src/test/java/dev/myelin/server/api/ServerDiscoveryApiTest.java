package dev.myelin.server.api;

import static dev.myelin.server.api.ProfileApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestHomeserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class ServerDiscoveryApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void withoutSupportContactsTheSupportDocumentIs404(TestHomeserver hs) {
        assertError(hs.anonymous().get("/.well-known/matrix/support"), 404, "M_NOT_FOUND");
    }

    @Test
    @OverrideConfig(
            key = "support",
            value =
                    "{contacts: [{role: m.role.admin, matrix_id: '@admin:test.local', email_address: 'admin@example.org'},"
                            + " {role: m.role.security, email_address: 'security@example.org'}],"
                            + " support_page: 'https://example.org/support'}")
    void theSupportDocumentListsTheConfiguredContacts(TestHomeserver hs) {
        ObjectNode expected = NODES.objectNode();
        expected.putArray("contacts")
                .add(NODES.objectNode()
                        .put("role", "m.role.admin")
                        .put("matrix_id", "@admin:test.local")
                        .put("email_address", "admin@example.org"))
                .add(NODES.objectNode().put("role", "m.role.security").put("email_address", "security@example.org"));
        expected.put("support_page", "https://example.org/support");
        assertThat(hs.anonymous().get("/.well-known/matrix/support").expect(200).json())
                .isEqualTo(expected);
    }

    @Test
    void theOAuthMetadataIsUnrecognisedSinceTheLegacyApiIsTheOneOffered(TestHomeserver hs) {
        assertError(hs.anonymous().get("/_matrix/client/v1/auth_metadata"), 404, "M_UNRECOGNIZED");
    }

    @Test
    void usersReportOtherUsers(TestHomeserver hs) {
        var alice = hs.registerUser("alice");
        hs.registerUser("bob");
        alice.post(
                        "/_matrix/client/v3/users/%40bob%3Atest.local/report",
                        NODES.objectNode().put("reason", "spam"))
                .expect(200);
        // another server's user cannot be checked from here, and is taken on trust
        alice.post(
                        "/_matrix/client/v3/users/%40carol%3Aelsewhere.example/report",
                        NODES.objectNode().put("reason", ""))
                .expect(200);
        assertError(
                alice.post(
                        "/_matrix/client/v3/users/%40nobody%3Atest.local/report",
                        NODES.objectNode().put("reason", "x")),
                404,
                "M_NOT_FOUND");
        assertError(
                alice.post("/_matrix/client/v3/users/%40bob%3Atest.local/report", NODES.objectNode()),
                400,
                "M_MISSING_PARAM");
        assertError(
                alice.post(
                        "/_matrix/client/v3/users/not-a-user/report",
                        NODES.objectNode().put("reason", "x")),
                400,
                "M_INVALID_PARAM");
    }
}
