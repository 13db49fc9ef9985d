package dev.myelin.server.api;

import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestFederation;
import dev.myelin.testing.TestResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /directory/room/{alias}} for another server's alias asks that server
 * ({@code /_matrix/federation/v1/query/directory}): its room and servers, its 404 passed on, and
 * 502 when it cannot be asked or fails.
 */
class FederatedAliasesApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String DIRECTORY = "/_matrix/client/v3/directory/room/";

    private TestFederation federation;
    private TestClient alice;
    private TestClient bob;

    @BeforeEach
    void start() {
        federation = TestFederation.start("a.test", "b.test");
        alice = federation.server("a.test").registerUser("alice");
        bob = federation.server("b.test").registerUser("bob");
    }

    @AfterEach
    void stop() {
        federation.close();
    }

    @Test
    void anotherServersAliasIsResolvedByThatServer() {
        String room = alice.createRoom(null);
        alice.put(DIRECTORY + encode("#home:a.test"), NODES.objectNode().put("room_id", room))
                .expect(200);

        ObjectNode expected = NODES.objectNode().put("room_id", room);
        expected.putArray("servers").add("a.test");
        assertThat(bob.get(DIRECTORY + encode("#home:a.test")).expect(200).json())
                .isEqualTo(expected);
        assertThat(federation.link("b.test", "a.test").delivered())
                .extracting(r -> r.uri().getPath())
                .contains("/_matrix/federation/v1/query/directory");
    }

    @Test
    void anUnknownAliasIs404AndAServerThatCannotAnswerIs502() {
        assertError(bob.get(DIRECTORY + encode("#nothing:a.test")), 404, "M_NOT_FOUND");
        assertError(bob.get(DIRECTORY + encode("#home:elsewhere.test")), 502, "M_UNKNOWN");
        federation.link("b.test", "a.test").failWithStatus(500);
        assertError(bob.get(DIRECTORY + encode("#home:a.test")), 502, "M_UNKNOWN");
        federation.link("b.test", "a.test").fail();
        assertError(bob.get(DIRECTORY + encode("#home:a.test")), 502, "M_UNKNOWN");
    }

    private static void assertError(TestResponse response, int status, String errcode) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errcode()).as(response.body()).isEqualTo(errcode);
    }
}
