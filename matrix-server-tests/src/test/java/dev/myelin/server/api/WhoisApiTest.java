package dev.myelin.server.api;

import static dev.myelin.server.api.ProfileApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.server.api.admin.SharedSecretRegisterEndpoints;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
public class WhoisApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String WHOIS = "/_matrix/client/v3/admin/whois/";

    @Test
    void usersSeeWhereTheirOwnDevicesWereLastSeen(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        long now = hs.clock().nowMillis();
        alice.get("/_matrix/client/v3/account/whoami").expect(200);
        String phone = DeviceApiTest.loginWithDevice(hs, "alice", "pw", "PHONE", "Phone");

        JsonNode whois = alice.get(WHOIS + alice.userId()).expect(200).json();
        ObjectNode expected = NODES.objectNode().put("user_id", "@alice:test.local");
        ObjectNode devices = expected.putObject("devices");
        devices.putObject(alice.deviceId())
                .putArray("sessions")
                .addObject()
                .putArray("connections")
                .addObject()
                .put(
                        "ip",
                        whois.at("/devices/" + alice.deviceId() + "/sessions/0/connections/0/ip")
                                .asText())
                .put("last_seen", now)
                .put(
                        "user_agent",
                        whois.at("/devices/" + alice.deviceId() + "/sessions/0/connections/0/user_agent")
                                .asText());
        devices.putObject("PHONE").putArray("sessions").addObject().putArray("connections");
        assertThat(whois).isEqualTo(expected);
        assertThat(whois.at("/devices/" + alice.deviceId() + "/sessions/0/connections/0/ip")
                        .asText())
                .isNotEmpty();
        assertThat(hs.request("GET", WHOIS + "@alice:test.local", null, phone)
                        .expect(200)
                        .json()
                        .get("user_id")
                        .asText())
                .isEqualTo("@alice:test.local");
    }

    @Test
    void onlyServerAdminsLookUpOtherUsers(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        assertError(bob.get(WHOIS + alice.userId()), 403, "M_FORBIDDEN");
        assertError(bob.get(WHOIS + "@nobody:test.local"), 403, "M_FORBIDDEN");

        String admin = registerAdmin(hs);
        JsonNode whois = hs.request("GET", WHOIS + alice.userId(), null, admin)
                .expect(200)
                .json();
        assertThat(whois.get("user_id").asText()).isEqualTo(alice.userId());
        assertThat(whois.get("devices").has(alice.deviceId())).isTrue();
        assertThat(hs.request("GET", WHOIS + "@nobody:test.local", null, admin)
                        .expect(200)
                        .json())
                .isEqualTo(
                        NODES.objectNode().put("user_id", "@nobody:test.local").set("devices", NODES.objectNode()));
        assertError(hs.request("GET", WHOIS + "@bob:elsewhere.example", null, admin), 400, "M_INVALID_PARAM");
        assertError(hs.request("GET", WHOIS + "not-a-user", null, admin), 400, "M_INVALID_PARAM");
        assertError(hs.anonymous().get(WHOIS + alice.userId()), 401, "M_MISSING_TOKEN");
    }

    /** Registers {@code admin} as a server admin through shared-secret registration; its access token. */
    public static String registerAdmin(TestHomeserver hs) {
        String nonce = hs.anonymous()
                .get("/_synapse/admin/v1/register")
                .expect(200)
                .json()
                .get("nonce")
                .asText();
        return hs.anonymous()
                .post(
                        "/_synapse/admin/v1/register",
                        NODES.objectNode()
                                .put("nonce", nonce)
                                .put("username", "admin")
                                .put("password", "pw")
                                .put("admin", true)
                                .put(
                                        "mac",
                                        SharedSecretRegisterEndpoints.mac(
                                                "test-shared-secret", nonce, "admin", "pw", true)))
                .expect(200)
                .json()
                .get("access_token")
                .asText();
    }
}
