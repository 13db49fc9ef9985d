package dev.myelin.testing.docs;

import static dev.myelin.testing.MatrixAssertions.assertThat;

import dev.myelin.testing.ClientEvent;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.appservice.AppServiceRegistration;
import dev.myelin.testing.appservice.TestAppService;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FirstBridgeTest {
    @Test
    void theBridgeReadsTheRoomAndItsGhostAnswers() {
        AppServiceRegistration registration = AppServiceRegistration.builder("irc")
                .senderLocalpart("ircbot")
                .exclusiveUsers("@irc_.*:test\\.local")
                .build();
        TestAppService bridge = TestAppService.of(registration);
        try (TestHomeserver hs = TestHomeserver.builder().appService(bridge).start()) {
            TestClient bob = hs.appServiceClient(bridge).registerGhost("irc_bob");
            TestClient alice = hs.registerUser("alice");
            String room = alice.createRoom(null);
            alice.invite(room, bob.userId()).expect(200);
            bob.join(room).expect(200);

            alice.sendMessage(room, "hello IRC");
            ClientEvent relayed = bridge.awaitEvent(e -> e.isMessage("hello IRC"), Duration.ofSeconds(10));
            assertThat(relayed).hasSender(alice.userId());

            bob.sendMessage(room, "hello from IRC");
            assertThat(alice.awaitEvent(room, e -> e.isMessage("hello from IRC")))
                    .hasSender("@irc_bob:test.local");
        }
    }
}
