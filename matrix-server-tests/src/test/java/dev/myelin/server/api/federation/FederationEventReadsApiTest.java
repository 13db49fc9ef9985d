package dev.myelin.server.api.federation;

import static dev.myelin.server.api.federation.RoomReadsFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.Redaction;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.PduTransaction;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.TestSeam;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /event} for another server, and what it may see of a room's history (history
 * visibility for servers, erased users), with the typed client and with hand-signed requests.
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "trusted_key_servers", value = "[]")
// many requests from one server in one instant of the fake clock: none may wait for it to move
@OverrideConfig(key = "rc_federation", value = "{sleep_limit: 1000, reject_limit: 1000}")
class FederationEventReadsApiTest {
    // ---- /event --------------------------------------------------------------------------------

    @Test
    void anEventIsServedAsTheStoredPduInATransaction(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        remoteJoins(hs, room);
        String message = alice.sendMessage(room, "hello");

        PduTransaction answer = client(hs).send(local(hs), EndpointCall.of(FederationEndpoints.EVENT, message));

        assertThat(answer.origin()).isEqualTo(hs.serverName());
        assertThat(answer.originServerTs()).isEqualTo(hs.time().nowMillis());
        assertThat(answer.pdus()).containsExactly(stored(hs, message));
        assertThat(answer.pdus().getFirst().has("unsigned")).isFalse();
    }

    @Test
    void aRedactedEventIsServedRedacted(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        remoteJoins(hs, room);
        String message = alice.sendMessage(room, "oops");
        alice.put(
                        "/_matrix/client/v3/rooms/" + room + "/redact/" + TestClient.encode(message) + "/t1",
                        NODES.objectNode())
                .expect(200);

        PduTransaction answer = client(hs).send(local(hs), EndpointCall.of(FederationEndpoints.EVENT, message));

        StoredEvent event =
                hs.homeserver().testSeam().event(new EventId(message)).orElseThrow();
        assertThat(answer.pdus()).containsExactly(Redaction.redact(event.pdu()).json());
        assertThat(answer.pdus().getFirst().path("content").size()).isZero();
    }

    @Test
    void eventRequestsFromServersOutsideTheRoomOrForUnknownEventsAreRefused(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        String message = alice.sendMessage(room, "private");

        expectError(signedGet(hs, "/_matrix/federation/v1/event/" + TestClient.encode(message)), 403, "M_FORBIDDEN");
        expectError(
                signedGet(hs, "/_matrix/federation/v1/event/" + TestClient.encode("$unknown:" + hs.serverName())),
                404,
                "M_NOT_FOUND");
        expectError(signedGet(hs, "/_matrix/federation/v1/event/not-an-event"), 400, "M_INVALID_PARAM");
        TestResponse unsigned = hs.anonymous().get("/_matrix/federation/v1/event/" + TestClient.encode(message));
        expectError(unsigned, 401, "M_UNAUTHORIZED");
    }

    // ---- history visibility for servers --------------------------------------------------------

    @Test
    void eventsTheServerMayNotSeeAreRedacted(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        alice.sendState(
                room, "m.room.history_visibility", "", NODES.objectNode().put("history_visibility", "joined"));
        String before = alice.sendMessage(room, "before the remote server joined");
        remoteJoins(hs, room);
        String after = alice.sendMessage(room, "after");
        FederationClient client = client(hs);

        ObjectNode hidden = client.send(local(hs), EndpointCall.of(FederationEndpoints.EVENT, before))
                .pdus()
                .getFirst();
        ObjectNode shown = client.send(local(hs), EndpointCall.of(FederationEndpoints.EVENT, after))
                .pdus()
                .getFirst();

        StoredEvent beforeEvent =
                hs.homeserver().testSeam().event(new EventId(before)).orElseThrow();
        assertThat(hidden).isEqualTo(Redaction.redact(beforeEvent.pdu()).json());
        assertThat(hidden.path("content").has("body")).isFalse();
        assertThat(shown).isEqualTo(stored(hs, after));
    }

    @Test
    void anErasedUsersEventsAreRedacted(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice", "pw");
        TestClient carol = hs.registerUser("carol");
        String room = publicRoom(alice);
        carol.join(room).expect(200);
        remoteJoins(hs, room);
        String message = alice.sendMessage(room, "body1");
        FederationClient client = client(hs);
        assertThat(client.send(local(hs), EndpointCall.of(FederationEndpoints.EVENT, message))
                        .pdus())
                .containsExactly(stored(hs, message));

        String deactivate = "/_matrix/client/v3/account/deactivate";
        String session = alice.post(deactivate, NODES.objectNode())
                .json()
                .path("session")
                .asText();
        ObjectNode body = NODES.objectNode().put("erase", true);
        ObjectNode auth = body.putObject("auth")
                .put("type", "m.login.password")
                .put("password", "pw")
                .put("session", session);
        auth.putObject("identifier").put("type", "m.id.user").put("user", alice.userId());
        alice.post(deactivate, body).expect(200);

        ObjectNode after = client.send(local(hs), EndpointCall.of(FederationEndpoints.EVENT, message))
                .pdus()
                .getFirst();
        StoredEvent event =
                hs.homeserver().testSeam().event(new EventId(message)).orElseThrow();
        assertThat(after).isEqualTo(Redaction.redact(event.pdu()).json());
        assertThat(after.path("content").has("body")).isFalse();
    }

    @Test
    void sharedHistoryIsVisibleFromBeforeTheServerJoined(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        String before = alice.sendMessage(room, "shared by default");
        remoteJoins(hs, room);

        PduTransaction answer = client(hs).send(local(hs), EndpointCall.of(FederationEndpoints.EVENT, before));

        assertThat(answer.pdus()).containsExactly(stored(hs, before));
    }

    @Test
    void invitedHistoryIsVisibleFromTheInvite(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        alice.sendState(
                room, "m.room.history_visibility", "", NODES.objectNode().put("history_visibility", "invited"));
        String beforeInvite = alice.sendMessage(room, "before the invite");
        TestSeam seam = hs.homeserver().testSeam();
        seam.createEvent(EventRequest.state(
                RoomId.parse(room),
                UserId.parse(alice.userId()),
                "m.room.member",
                BOB.toString(),
                membership("invite")));
        String whileInvited = alice.sendMessage(room, "while invited");
        remoteJoins(hs, room);
        FederationClient client = client(hs);

        assertThat(client.send(local(hs), EndpointCall.of(FederationEndpoints.EVENT, whileInvited))
                        .pdus())
                .containsExactly(stored(hs, whileInvited));
        assertThat(client.send(local(hs), EndpointCall.of(FederationEndpoints.EVENT, beforeInvite))
                        .pdus()
                        .getFirst()
                        .path("content")
                        .has("body"))
                .isFalse();
    }
}
