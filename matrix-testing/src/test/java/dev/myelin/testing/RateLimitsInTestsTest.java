package dev.myelin.testing;

import static dev.myelin.testing.MatrixAssertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rate limits are off in tests unless a test turns one on; then it counts on the fake clock. */
@ExtendWith(HomeserverExtension.class)
class RateLimitsInTestsTest {

    private static TestResponse send(TestClient client, String room, String txn) {
        return client.put(
                "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/send/m.room.message/" + txn,
                JsonNodeFactory.instance.objectNode().put("msgtype", "m.text").put("body", txn));
    }

    @Test
    void offByDefault(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        for (int i = 0; i < 30; i++) {
            assertThat(send(alice, room, "t" + i)).isOk();
        }
    }

    @Test
    @OverrideConfig(key = "rc_message", value = "{per_second: 0.1, burst_count: 2}")
    void onWithOverrideConfigAndRefilledByTheFakeClock(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        assertThat(send(alice, room, "a")).isOk();
        assertThat(send(alice, room, "b")).isOk();
        TestResponse limited = send(alice, room, "c");
        assertThat(limited).hasStatus(429).hasErrcode("M_LIMIT_EXCEEDED");
        assertThat(limited.json().path("retry_after_ms").asLong()).isPositive();

        hs.clock().advance(Duration.ofSeconds(10));
        assertThat(send(alice, room, "c")).isOk();
    }
}
