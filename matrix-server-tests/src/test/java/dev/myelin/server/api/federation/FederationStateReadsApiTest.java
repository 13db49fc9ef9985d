package dev.myelin.server.api.federation;

import static dev.myelin.server.api.federation.RoomReadsFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.federation.api.EventAuthResponse;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.RoomStateIdsResponse;
import dev.myelin.federation.api.RoomStateResponse;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.TestSeam;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /state}, {@code /state_ids} and {@code /event_auth} for another server, the room's
 * server ACL included, with the typed client and with hand-signed requests.
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "trusted_key_servers", value = "[]")
// many requests from one server in one instant of the fake clock: none may wait for it to move
@OverrideConfig(key = "rc_federation", value = "{sleep_limit: 1000, reject_limit: 1000}")
class FederationStateReadsApiTest {
    // ---- /state and /state_ids -----------------------------------------------------------------

    @Test
    void stateIsTheStateBeforeTheEventWithItsAuthChain(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        String firstTopic =
                alice.sendState(room, "m.room.topic", "", NODES.objectNode().put("topic", "one"));
        remoteJoins(hs, room);
        String secondTopic =
                alice.sendState(room, "m.room.topic", "", NODES.objectNode().put("topic", "two"));
        String message = alice.sendMessage(room, "after both");
        FederationClient client = client(hs);

        RoomStateIdsResponse atTopic = client.send(
                local(hs),
                EndpointCall.of(FederationEndpoints.ROOM_STATE_IDS, room).query("event_id", secondTopic));
        RoomStateIdsResponse atMessage = client.send(
                local(hs),
                EndpointCall.of(FederationEndpoints.ROOM_STATE_IDS, room).query("event_id", message));

        assertThat(atTopic.pduIds()).contains(firstTopic).doesNotContain(secondTopic, message);
        assertThat(atMessage.pduIds()).contains(secondTopic).doesNotContain(firstTopic, message);
        Set<String> expectedAfter = new HashSet<>(atTopic.pduIds());
        expectedAfter.remove(firstTopic);
        expectedAfter.add(secondTopic);
        assertThat(atMessage.pduIds()).containsExactlyInAnyOrderElementsOf(expectedAfter);
        String create = hs.homeserver()
                .testSeam()
                .stateEvent(RoomId.parse(room), "m.room.create", "")
                .orElseThrow()
                .eventId()
                .value();
        String aliceJoin = hs.homeserver()
                .testSeam()
                .stateEvent(RoomId.parse(room), "m.room.member", alice.userId())
                .orElseThrow()
                .eventId()
                .value();
        assertThat(atMessage.authChainIds()).contains(create, aliceJoin).doesNotContain(message);

        RoomStateResponse full = client.send(
                local(hs), EndpointCall.of(FederationEndpoints.ROOM_STATE, room).query("event_id", message));
        assertThat(full.pdus()).hasSize(atMessage.pduIds().size());
        for (String id : atMessage.pduIds()) {
            assertThat(full.pdus()).contains(stored(hs, id));
        }
        assertThat(full.authChain()).hasSize(atMessage.authChainIds().size());
        for (String id : atMessage.authChainIds()) {
            assertThat(full.authChain()).contains(stored(hs, id));
        }
    }

    @Test
    void badStateRequestsGetMatrixErrors(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        String other = publicRoom(alice);
        remoteJoins(hs, room);
        String message = alice.sendMessage(room, "hi");
        String elsewhere = alice.sendMessage(other, "elsewhere");

        for (String kind : List.of("state", "state_ids")) {
            String base = "/_matrix/federation/v1/" + kind + "/";
            expectError(signedGet(hs, base + TestClient.encode(room)), 400, "M_MISSING_PARAM");
            expectError(
                    signedGet(hs, base + TestClient.encode(room) + "?event_id=" + TestClient.encode(elsewhere)),
                    404,
                    "M_NOT_FOUND");
            expectError(
                    signedGet(hs, base + TestClient.encode(room) + "?event_id=" + TestClient.encode("$nope:x.test")),
                    404,
                    "M_NOT_FOUND");
            expectError(signedGet(hs, base + TestClient.encode(room) + "?event_id=bad"), 400, "M_INVALID_PARAM");
            expectError(
                    signedGet(hs, base + TestClient.encode(other) + "?event_id=" + TestClient.encode(elsewhere)),
                    403,
                    "M_FORBIDDEN");
            expectError(
                    signedGet(
                            hs,
                            base + TestClient.encode("!unknown:" + hs.serverName()) + "?event_id="
                                    + TestClient.encode(message)),
                    404,
                    "M_NOT_FOUND");
            expectError(
                    signedGet(hs, base + "not-a-room?event_id=" + TestClient.encode(message)), 400, "M_INVALID_PARAM");
        }
    }

    @Test
    void aServerTheRoomsAclDeniesIsRefused(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        remoteJoins(hs, room);
        String message = alice.sendMessage(room, "hi");
        String uri = "/_matrix/federation/v1/state_ids/" + TestClient.encode(room) + "?event_id="
                + TestClient.encode(message);
        signedGet(hs, uri).expect(200);

        ObjectNode acl = NODES.objectNode();
        acl.putArray("allow").add("*");
        acl.putArray("deny").add("127.0.0.*");
        alice.sendState(room, "m.room.server_acl", "", acl);

        expectError(signedGet(hs, uri), 403, "M_FORBIDDEN");
        expectError(
                signedGet(
                        hs,
                        "/_matrix/federation/v1/backfill/" + TestClient.encode(room) + "?v="
                                + TestClient.encode(message) + "&limit=5"),
                403,
                "M_FORBIDDEN");
    }

    // ---- /event_auth ---------------------------------------------------------------------------

    @Test
    void eventAuthGivesTheAuthChain(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        remoteJoins(hs, room);
        String message = alice.sendMessage(room, "hi");
        TestSeam seam = hs.homeserver().testSeam();

        EventAuthResponse answer =
                client(hs).send(local(hs), EndpointCall.of(FederationEndpoints.EVENT_AUTH, room, message));

        Set<EventId> expected = new HashSet<>();
        List<EventId> pending = new ArrayList<>(
                seam.event(new EventId(message)).orElseThrow().pdu().authEventIds());
        while (!pending.isEmpty()) {
            EventId id = pending.removeLast();
            if (expected.add(id)) {
                pending.addAll(seam.event(id).orElseThrow().pdu().authEventIds());
            }
        }
        assertThat(answer.authChain())
                .containsExactlyInAnyOrderElementsOf(
                        expected.stream().map(id -> stored(hs, id.value())).toList());
        assertThat(answer.authChain()).doesNotContain(stored(hs, message));

        String other = publicRoom(alice);
        String elsewhere = alice.sendMessage(other, "x");
        expectError(
                signedGet(
                        hs,
                        "/_matrix/federation/v1/event_auth/" + TestClient.encode(room) + "/"
                                + TestClient.encode(elsewhere)),
                404,
                "M_NOT_FOUND");
        expectError(
                signedGet(
                        hs,
                        "/_matrix/federation/v1/event_auth/" + TestClient.encode(other) + "/"
                                + TestClient.encode(elsewhere)),
                403,
                "M_FORBIDDEN");
        expectError(
                signedGet(hs, "/_matrix/federation/v1/event_auth/" + TestClient.encode(room) + "/nope"),
                400,
                "M_INVALID_PARAM");
    }
}
