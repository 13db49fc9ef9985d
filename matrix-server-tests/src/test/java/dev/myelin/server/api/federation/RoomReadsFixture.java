package dev.myelin.server.api.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.federation.auth.RequestSigner;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.federation.discovery.DiscoveryStep;
import dev.myelin.federation.discovery.ResolvedDestination;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the tests of the endpoints through which another server reads a room share: the remote
 * server ({@link #REMOTE}, whose key the homeserver is told), its typed federation client reaching
 * the homeserver through its in-memory connector, and a join of its user made with the test seam,
 * which puts it "in the room".
 */
final class RoomReadsFixture {
    private RoomReadsFixture() {}

    static final ServerName REMOTE = SignedRequests.REMOTE;
    static final SigningKey REMOTE_KEY = SignedRequests.remoteKey();
    static final UserId BOB = UserId.parse("@bob:127.0.0.1:1");
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static void trustRemote(TestHomeserver hs) {
        SignedRequests.trustRemote(hs, Duration.ofDays(1));
    }

    /** A request from the remote server, signed by it. */
    static TestResponse signed(TestHomeserver hs, String method, String uri, ObjectNode body) {
        return SignedRequests.signed(hs, method, uri, body);
    }

    static TestResponse signedGet(TestHomeserver hs, String uri) {
        return signed(hs, "GET", uri, null);
    }

    /** The remote server's federation client, reaching the homeserver through its in-memory connector. */
    static FederationClient client(TestHomeserver hs) {
        return new FederationClient(
                new RequestSigner(REMOTE, REMOTE_KEY),
                name -> new ResolvedDestination(
                        name,
                        DiscoveryStep.DEFAULT_PORT,
                        Optional.empty(),
                        List.of(new ResolvedDestination.Target(name.host(), 8448)),
                        name.toString(),
                        name.host()),
                (request, connectHost) -> {
                    String uri = request.uri().getRawPath()
                            + (request.uri().getRawQuery() == null
                                    ? ""
                                    : "?" + request.uri().getRawQuery());
                    List<Map.Entry<String, String>> headers = new ArrayList<>();
                    request.headers().forEach((name, values) -> {
                        if (!name.equalsIgnoreCase("Host")) {
                            values.forEach(v -> headers.add(Map.entry(name, v)));
                        }
                    });
                    String body = request.body()
                            .map(b -> new String(b.bytes(), StandardCharsets.UTF_8))
                            .orElse(null);
                    TestResponse response = hs.request(request.method(), uri, body, headers);
                    return new OutboundResponse(
                            response.status(),
                            Map.of("Content-Type", List.of("application/json")),
                            response.body().getBytes(StandardCharsets.UTF_8));
                });
    }

    static ObjectNode membership(String membership) {
        return NODES.objectNode().put("membership", membership);
    }

    static StoredEvent remoteJoins(TestHomeserver hs, String room) {
        return hs.homeserver()
                .testSeam()
                .createRemoteEvent(
                        EventRequest.state(
                                RoomId.parse(room), BOB, "m.room.member", BOB.toString(), membership("join")),
                        REMOTE_KEY);
    }

    static ObjectNode stored(TestHomeserver hs, String eventId) {
        return hs.homeserver()
                .testSeam()
                .event(new EventId(eventId))
                .orElseThrow()
                .pdu()
                .json();
    }

    static String publicRoom(TestClient alice) {
        return alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
    }

    static void expectError(TestResponse response, int status, String errcode) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errcode()).isEqualTo(errcode);
    }

    static ServerName local(TestHomeserver hs) {
        return ServerName.parse(hs.serverName());
    }
}
