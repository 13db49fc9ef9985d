package dev.myelin.testing.docs;

import static dev.myelin.testing.MatrixAssertions.assertThat;

import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class FirstTest {
    @Test
    void bobSeesAlicesMessage(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        alice.invite(room, bob.userId()).expect(200);
        bob.join(room).expect(200);

        alice.sendMessage(room, "hello");

        assertThat(bob.awaitEvent(room, e -> e.isMessage("hello"))).hasSender(alice.userId());
    }
}
