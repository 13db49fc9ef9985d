package dev.myelin.server.api;

import static dev.myelin.server.api.DeviceApiTest.passwordAuth;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Wrong passwords count against {@code rc_login.failed_attempts} of the account, wherever they are
 * sent: {@code /login} and every endpoint behind user-interactive auth share one bucket. The limit
 * here is the default one (0.17 a second, a burst of 3); only the per-address and per-account
 * login limits are lifted, so what is measured is the failed-attempts bucket alone.
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(
        key = "rc_login",
        value = "{address: {per_second: 1000000, burst_count: 1000000}, "
                + "account: {per_second: 1000000, burst_count: 1000000}, "
                + "failed_attempts: {per_second: 0.17, burst_count: 3}}")
class PasswordGuessingApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String PASSWORD = "/_matrix/client/v3/account/password";
    private static final String DEACTIVATE = "/_matrix/client/v3/account/deactivate";
    private static final String DELETE_DEVICES = "/_matrix/client/v3/delete_devices";
    /** One token of 0.17 a second, in whole milliseconds rounded up. */
    private static final long REFILL_MS = 5883;

    private static ObjectNode guess(TestClient client, String password) {
        return passwordAuth(client.userId(), password, null);
    }

    private static TestResponse login(TestHomeserver hs, String user, String password) {
        ObjectNode body = NODES.objectNode().put("type", "m.login.password").put("password", password);
        body.putObject("identifier").put("type", "m.id.user").put("user", user);
        return hs.anonymous().post("/_matrix/client/v3/login", body);
    }

    private static void assertWrongPassword(TestResponse response) {
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errcode()).isEqualTo("M_FORBIDDEN");
    }

    private static long assertLimited(TestResponse response) {
        assertThat(response.status()).isEqualTo(429);
        assertThat(response.errcode()).isEqualTo("M_LIMIT_EXCEEDED");
        long retry = response.json().get("retry_after_ms").asLong();
        assertThat(retry).isPositive();
        return retry;
    }

    @Test
    void wrongPasswordsInUserInteractiveAuthAreLimitedPerAccountAcrossEndpoints(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        TestClient phone = hs.login("alice", "pw");
        TestClient bob = hs.registerUser("bob", "pw");

        ObjectNode deleteDevices = guess(alice, "guess1");
        deleteDevices.putArray("devices").add(phone.deviceId());
        assertWrongPassword(alice.post(DELETE_DEVICES, deleteDevices));
        assertWrongPassword(alice.post(PASSWORD, guess(alice, "guess2").put("new_password", "mine")));
        assertWrongPassword(alice.post(DEACTIVATE, guess(alice, "guess3")));

        long retry = assertLimited(
                alice.request("DELETE", "/_matrix/client/v3/devices/" + phone.deviceId(), guess(alice, "guess4")));
        assertThat(retry).isEqualTo(REFILL_MS);
        // not even the right password is looked at while the account is locked
        assertLimited(alice.post(PASSWORD, guess(alice, "pw").put("new_password", "mine")));
        assertLimited(login(hs, "alice", "pw"));
        assertWrongPassword(bob.post(DEACTIVATE, guess(bob, "guess1")));

        hs.clock().advance(Duration.ofMillis(retry - 1));
        assertLimited(alice.post(DEACTIVATE, guess(alice, "guess5")));
        hs.clock().advance(Duration.ofMillis(1));
        alice.post(PASSWORD, guess(alice, "pw").put("new_password", "mine")).expect(200);
        login(hs, "alice", "mine").expect(200);
    }

    @Test
    void failedLoginsShareTheBucketAndRightPasswordsDoNotCount(TestHomeserver hs) {
        hs.registerUser("alice", "pw");
        for (int i = 0; i < 5; i++) {
            login(hs, "alice", "pw").expect(200);
        }
        for (int i = 0; i < 3; i++) {
            TestResponse wrong = login(hs, "alice", "wrong" + i);
            assertThat(wrong.status()).isEqualTo(403);
            assertThat(wrong.errcode()).isEqualTo("M_FORBIDDEN");
        }
        long retry = assertLimited(login(hs, "@alice:test.local", "wrong"));
        assertLimited(login(hs, "ALICE", "pw"));
        hs.clock().advance(Duration.ofMillis(retry));
        login(hs, "alice", "pw").expect(200);
        assertThat(login(hs, "alice", "wrong").status()).isEqualTo(403);
        assertLimited(login(hs, "alice", "wrong"));
    }
}
