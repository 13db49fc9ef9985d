package dev.myelin.testing;

import static dev.myelin.testing.MatrixAssertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** With {@link HomeserverPerClass}, @BeforeAll and every test get the same homeserver. */
@ExtendWith(HomeserverExtension.class)
@HomeserverPerClass
@OverrideConfig(key = "enable_registration", value = "true")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HomeserverPerClassTest {
    private static TestHomeserver shared;
    private static String room;

    @BeforeAll
    static void createTheRoomOnce(TestHomeserver hs) {
        shared = hs;
        room = hs.registerUser("alice")
                .createRoom(JsonNodeFactory.instance.objectNode().put("preset", "public_chat"));
    }

    @Test
    @Order(1)
    void theFirstTestSeesWhatBeforeAllMade(TestHomeserver hs) {
        assertThat(hs).isSameAs(shared);
        TestClient bob = hs.registerUser("bob");
        assertThat(bob.join(room)).isOk();
    }

    @Test
    @Order(2)
    void theSecondTestSeesWhatTheFirstDid(TestHomeserver hs) {
        assertThat(hs).isSameAs(shared);
        assertThat(hs.login("bob", "password").sync()).hasJoinedRoom(room);
    }
}
