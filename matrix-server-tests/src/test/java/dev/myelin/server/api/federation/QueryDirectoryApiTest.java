package dev.myelin.server.api.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /_matrix/federation/v1/query/directory}: the room one of this server's aliases names,
 * for another server, which must sign its request.
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "trusted_key_servers", value = "[]")
class QueryDirectoryApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String QUERY = "/_matrix/federation/v1/query/directory?room_alias=";

    @Test
    void anotherServerResolvesALocalAlias(TestHomeserver hs) {
        SignedRequests.trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        alice.put(
                        "/_matrix/client/v3/directory/room/" + TestClient.encode("#home:" + hs.serverName()),
                        NODES.objectNode().put("room_id", room))
                .expect(200);

        ObjectNode expected = NODES.objectNode().put("room_id", room);
        expected.putArray("servers").add(hs.serverName());
        assertThat(SignedRequests.signed(hs, "GET", QUERY + TestClient.encode("#home:" + hs.serverName()), null)
                        .expect(200)
                        .json())
                .isEqualTo(expected);
    }

    @Test
    void unknownForeignMissingAndInvalidAliasesAreMatrixErrors(TestHomeserver hs) {
        SignedRequests.trustRemote(hs);
        assertError(
                SignedRequests.signed(hs, "GET", QUERY + TestClient.encode("#nothing:" + hs.serverName()), null),
                404,
                "M_NOT_FOUND");
        assertError(
                SignedRequests.signed(hs, "GET", QUERY + TestClient.encode("#home:elsewhere.test"), null),
                400,
                "M_INVALID_PARAM");
        assertError(
                SignedRequests.signed(hs, "GET", "/_matrix/federation/v1/query/directory", null),
                400,
                "M_MISSING_PARAM");
        assertError(SignedRequests.signed(hs, "GET", QUERY + "not-an-alias", null), 400, "M_INVALID_PARAM");
        assertError(
                hs.request("GET", QUERY + TestClient.encode("#home:" + hs.serverName()), null, List.of()),
                401,
                "M_UNAUTHORIZED");
    }

    private static void assertError(TestResponse response, int status, String errcode) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errcode()).as(response.body()).isEqualTo(errcode);
    }
}
