package dev.myelin.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A {@code homeserver.yaml} that shares one rate limit between keys through a YAML anchor and
 * aliases is read as written: each aliased key gets the anchored limit.
 */
@ExtendWith(HomeserverExtension.class)
class ConfigAnchorsApiTest {

    @Test
    @OverrideConfig(key = "rc_message", value = "&strict {per_second: 0.001, burst_count: 1}")
    @OverrideConfig(key = "rc_login", value = "{address: *strict, account: *strict, failed_attempts: *strict}")
    void anAliasedRateLimitAppliesWhereverItIsNamed(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        var login = java.util.Map.of(
                "type",
                "m.login.password",
                "identifier",
                java.util.Map.of("type", "m.id.user", "user", "alice"),
                "password",
                "pw");
        hs.anonymous().post("/_matrix/client/v3/login", login).expect(200);
        TestResponse limited = hs.anonymous().post("/_matrix/client/v3/login", login);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.errcode()).isEqualTo("M_LIMIT_EXCEEDED");

        String room = alice.createRoom(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        alice.sendMessage(room, "one");
        TestResponse second = alice.put(
                "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/send/m.room.message/t2",
                java.util.Map.of("msgtype", "m.text", "body", "two"));
        assertThat(second.errcode()).isEqualTo("M_LIMIT_EXCEEDED");
    }
}
