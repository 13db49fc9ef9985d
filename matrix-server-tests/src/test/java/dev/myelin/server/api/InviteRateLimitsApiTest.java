package dev.myelin.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The three invite limits at their defaults, each alone (the other two lifted): per inviter
 * ({@code per_issuer}), per room ({@code per_room}) and per invited user ({@code per_user}).
 */
@ExtendWith(HomeserverExtension.class)
class InviteRateLimitsApiTest {
    private static final String LIFTED = "{per_second: 1000000, burst_count: 1000000}";

    private static void assertLimited(TestResponse response, long retryMs) {
        assertThat(response.status()).isEqualTo(429);
        assertThat(response.errcode()).isEqualTo("M_LIMIT_EXCEEDED");
        assertThat(response.json().get("retry_after_ms").asLong()).isEqualTo(retryMs);
    }

    @Test
    @OverrideConfig(key = "rc_invites", value = "{per_issuer: {}, per_room: " + LIFTED + ", per_user: " + LIFTED + "}")
    void oneInviterSendsTenInvitesAtOnceThenThreeInTenSeconds(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        alice.invite(room, bob.userId()).expect(200);
        bob.join(room).expect(200);
        for (int i = 1; i < 10; i++) {
            alice.invite(room, hs.registerUser("u" + i).userId()).expect(200);
        }
        String late = hs.registerUser("late").userId();
        assertLimited(alice.invite(room, late), 3_334);
        // the limit is alice's, not the room's
        bob.invite(room, late).expect(200);
        hs.clock().advance(Duration.ofMillis(3_334));
        alice.invite(room, hs.registerUser("later").userId()).expect(200);
    }

    @Test
    @OverrideConfig(key = "rc_invites", value = "{per_room: {}, per_issuer: " + LIFTED + ", per_user: " + LIFTED + "}")
    void aRoomTakesTenInvitesAtOnceFromAllInvitersTogether(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String other = alice.createRoom(null);
        for (int i = 0; i < 10; i++) {
            alice.invite(room, hs.registerUser("u" + i).userId()).expect(200);
        }
        String late = hs.registerUser("late").userId();
        assertLimited(alice.invite(room, late), 3_334);
        alice.invite(other, late).expect(200);
        hs.clock().advance(Duration.ofMillis(3_334));
        alice.invite(room, late).expect(200);
    }

    @Test
    @OverrideConfig(key = "rc_invites", value = "{per_user: {}, per_room: " + LIFTED + ", per_issuer: " + LIFTED + "}")
    void aUserReceivesFiveInvitesAtOnceFromAnyone(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String bob = hs.registerUser("bob").userId();
        String carol = hs.registerUser("carol").userId();
        for (int i = 0; i < 5; i++) {
            alice.invite(alice.createRoom(null), bob).expect(200);
        }
        String room = alice.createRoom(null);
        assertLimited(alice.invite(room, bob), 333_334);
        alice.invite(room, carol).expect(200);
        hs.clock().advance(Duration.ofMillis(333_334));
        alice.invite(room, bob).expect(200);
    }
}
