package dev.myelin.server.api.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.event.ClientEvent;
import dev.myelin.core.event.Pdu;
import dev.myelin.core.event.PduBuilder;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.federation.auth.RequestSigner;
import dev.myelin.federation.keys.ServerKeys;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code PUT /_matrix/federation/v2/invite} (and v1) from another server: a valid invite of a local
 * user is signed, shown in the invitee's {@code /sync} and can be rejected; every bad one is a
 * Matrix error, never a 500, and keeps nothing.
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "trusted_key_servers", value = "[]")
class InboundInviteApiTest {
    /** An IP literal with a port nothing listens on: a request to it fails at once, without DNS. */
    private static final ServerName REMOTE = ServerName.parse("127.0.0.1:1");

    private static final SigningKey REMOTE_KEY = SigningKey.generate("r1");
    private static final UserId CAROL = UserId.parse("@carol:" + REMOTE);
    private static final RoomId ROOM = RoomId.parse("!lunch:" + REMOTE);

    private static void trustRemote(TestHomeserver hs) {
        long now = hs.time().nowMillis();
        ServerKeys keys = new ServerKeys(
                REMOTE,
                Map.of(REMOTE_KEY.keyId(), REMOTE_KEY.verifyKey()),
                Map.of(),
                now + Duration.ofHours(1).toMillis());
        hs.homeserver().testSeam().rememberServerKeys(JsonSigning.sign(keys.toJson(), REMOTE, REMOTE_KEY), now);
    }

    private static Pdu invite(TestHomeserver hs, RoomVersion version, UserId sender, String target, String membership) {
        Pdu create = PduBuilder.forVersion(version)
                .roomId(ROOM)
                .sender(CAROL)
                .type("m.room.create")
                .stateKey("")
                .content(JsonNodeFactory.instance.objectNode().put("room_version", version.id()))
                .prevEvents(List.of())
                .authEvents(List.of())
                .depth(1)
                .originServerTs(hs.time().nowMillis())
                .build(REMOTE, REMOTE_KEY);
        return PduBuilder.forVersion(version)
                .roomId(ROOM)
                .sender(sender)
                .type("m.room.member")
                .stateKey(target)
                .content(JsonNodeFactory.instance.objectNode().put("membership", membership))
                .prevEvents(List.of(create.eventId()))
                .authEvents(List.of(create.eventId()))
                .depth(2)
                .originServerTs(hs.time().nowMillis())
                .build(sender.server(), sender.server().equals(REMOTE) ? REMOTE_KEY : SigningKey.generate("o1"));
    }

    private static ObjectNode body(RoomVersion version, ObjectNode event) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("room_version", version.id());
        body.set("event", event);
        ObjectNode name = body.putArray("invite_room_state").addObject();
        name.put("type", "m.room.name").put("state_key", "").put("sender", CAROL.toString());
        name.putObject("content").put("name", "Lunch");
        return body;
    }

    private static TestResponse put(TestHomeserver hs, String uri, JsonNode body) {
        // past rc_federation's window: the many requests of one test are not delayed on the stopped clock
        hs.clock().advance(Duration.ofSeconds(1));
        String header = new RequestSigner(REMOTE, REMOTE_KEY)
                .sign("PUT", uri, ServerName.parse(hs.serverName()), Optional.of(body))
                .format();
        return hs.request("PUT", uri, body, List.of(Map.entry("Authorization", header)));
    }

    private static TestResponse putV2(TestHomeserver hs, Pdu invite, ObjectNode body) {
        return put(hs, "/_matrix/federation/v2/invite/" + invite.roomId() + "/" + invite.eventId(), body);
    }

    private static TestResponse putV2(TestHomeserver hs, Pdu invite) {
        return putV2(hs, invite, body(invite.version(), ClientEvent.toFederationFormat(invite)));
    }

    private static JsonNode invites(TestClient client) {
        return client.sync(null, Map.of("timeout", "0")).path("rooms").path("invite");
    }

    @Test
    void aValidInviteIsSignedAndShownToTheInviteeWithTheStateSentWithIt(TestHomeserver hs) {
        trustRemote(hs);
        TestClient bob = hs.registerUser("bob");
        Pdu invite = invite(hs, RoomVersions.V10, CAROL, bob.userId(), "invite");

        JsonNode answer = putV2(hs, invite).expect(200).json();

        JsonNode signatures = answer.path("event").path("signatures");
        assertThat(signatures.has(REMOTE.toString())).isTrue();
        assertThat(signatures.has(hs.serverName())).isTrue();
        assertThat(answer.path("event").path("content").path("membership").asText())
                .isEqualTo("invite");
        JsonNode state = invites(bob).path(ROOM.value()).path("invite_state").path("events");
        List<String> shown = new ArrayList<>();
        state.forEach(e ->
                shown.add(e.path("type").asText() + " " + e.path("state_key").asText()));
        assertThat(shown).containsExactly("m.room.name ", "m.room.member " + bob.userId());
        assertThat(state.get(0).path("content").path("name").asText()).isEqualTo("Lunch");
        assertThat(state.get(1).path("event_id").asText())
                .isEqualTo(invite.eventId().value());
        assertThat(state.get(1).path("sender").asText()).isEqualTo(CAROL.toString());

        // the same invite sent again is answered again and shown once
        putV2(hs, invite).expect(200);
        assertThat(invites(bob).size()).isEqualTo(1);
    }

    @Test
    void aLongPollingSyncOfTheInviteeWakesForTheInvite(TestHomeserver hs) throws Exception {
        trustRemote(hs);
        TestClient bob = hs.registerUser("bob");
        String first = bob.sync(null, Map.of("timeout", "0")).path("next_batch").asText();
        String since =
                bob.sync(first, Map.of("timeout", "0")).path("next_batch").asText();
        JsonNode[] woken = new JsonNode[1];
        // the timeout is on the test clock, which stands still: only the invite can end the poll
        Thread poll = Thread.ofVirtual()
                .start(() -> woken[0] = bob.get("/_matrix/client/v3/sync?timeout=600000&since=" + since)
                        .expect(200)
                        .json());
        Thread.sleep(300);

        putV2(hs, invite(hs, RoomVersions.V10, CAROL, bob.userId(), "invite")).expect(200);

        poll.join(Duration.ofSeconds(20).toMillis());
        assertThat(woken[0]).isNotNull();
        assertThat(woken[0].path("rooms").path("invite").has(ROOM.value()))
                .as(woken[0].toString())
                .isTrue();
    }

    @Test
    void theV1EndpointTakesAnInviteOfARoomOfVersionOne(TestHomeserver hs) {
        trustRemote(hs);
        TestClient bob = hs.registerUser("bob");
        Pdu invite = invite(hs, RoomVersions.V1, CAROL, bob.userId(), "invite");
        ObjectNode event = ClientEvent.toFederationFormat(invite);

        JsonNode answer = put(hs, "/_matrix/federation/v1/invite/" + ROOM + "/" + invite.eventId(), event)
                .expect(200)
                .json();

        assertThat(answer.get(0).asInt()).isEqualTo(200);
        assertThat(answer.get(1).path("event").path("signatures").has(hs.serverName()))
                .isTrue();
        assertThat(invites(bob).has(ROOM.value())).isTrue();
    }

    @Test
    void rejectingAnInviteWhoseServerCannotBeReachedLeavesTheRoomLocally(TestHomeserver hs) {
        trustRemote(hs);
        TestClient bob = hs.registerUser("bob");
        Pdu invite = invite(hs, RoomVersions.V10, CAROL, bob.userId(), "invite");
        putV2(hs, invite).expect(200);
        String since = bob.sync(null, Map.of("timeout", "0")).path("next_batch").asText();

        bob.leave(ROOM.value()).expect(200);

        JsonNode sync = bob.sync(since, Map.of("timeout", "0"));
        assertThat(sync.path("rooms").path("invite").has(ROOM.value())).isFalse();
        JsonNode leave = sync.path("rooms")
                .path("leave")
                .path(ROOM.value())
                .path("timeline")
                .path("events");
        assertThat(leave).hasSize(1);
        assertThat(leave.get(0).path("content").path("membership").asText()).isEqualTo("leave");
        assertThat(leave.get(0).path("sender").asText()).isEqualTo(bob.userId());
        assertThat(invites(bob).has(ROOM.value())).isFalse();
        // with include_leave an initial sync shows the room as left
        String filter = "{\"room\":{\"include_leave\":true}}";
        assertThat(bob.sync(null, Map.of("timeout", "0", "filter", filter))
                        .path("rooms")
                        .path("leave")
                        .has(ROOM.value()))
                .isTrue();

        // invited again: the new invite is pending and shown
        Pdu again = invite(hs, RoomVersions.V10, CAROL, bob.userId(), "invite");
        putV2(hs, again).expect(200);
        JsonNode shown = invites(bob).path(ROOM.value()).path("invite_state").path("events");
        assertThat(shown.get(shown.size() - 1).path("event_id").asText())
                .isEqualTo(again.eventId().value());
    }

    @Test
    void anInviteOfALocalUserIdWithoutAnAccountIsSignedAsSynapseSignsIt(TestHomeserver hs) {
        trustRemote(hs);
        Pdu invite = invite(hs, RoomVersions.V10, CAROL, "@nobody:" + hs.serverName(), "invite");

        JsonNode answer = putV2(hs, invite).expect(200).json();

        assertThat(answer.path("event").path("signatures").has(hs.serverName())).isTrue();
    }

    @Test
    void badInvitesAreRefusedWithMatrixErrorsAndKeepNothing(TestHomeserver hs) {
        trustRemote(hs);
        TestClient bob = hs.registerUser("bob");
        Pdu good = invite(hs, RoomVersions.V10, CAROL, bob.userId(), "invite");

        // a sender of another server than the origin
        Pdu otherSender = invite(hs, RoomVersions.V10, UserId.parse("@dave:elsewhere.test"), bob.userId(), "invite");
        expectError(putV2(hs, otherSender), 400, "M_INVALID_PARAM");
        // a user of another server
        expectError(
                putV2(hs, invite(hs, RoomVersions.V10, CAROL, "@eve:elsewhere.test", "invite")),
                400,
                "M_INVALID_PARAM");
        // not an invite
        expectError(putV2(hs, invite(hs, RoomVersions.V10, CAROL, bob.userId(), "join")), 400, "M_INVALID_PARAM");
        // the path names another event
        Pdu other = invite(hs, RoomVersions.V10, CAROL, bob.userId(), "invite");
        expectError(
                put(
                        hs,
                        "/_matrix/federation/v2/invite/" + ROOM + "/" + good.eventId() + "x",
                        body(RoomVersions.V10, ClientEvent.toFederationFormat(other))),
                400,
                "M_INVALID_PARAM");
        // a room version this server does not support
        TestResponse unsupported = putV2(
                hs,
                good,
                body(RoomVersions.V10, ClientEvent.toFederationFormat(good))
                        .put("room_version", "org.example.unknown"));
        expectError(unsupported, 400, "M_INCOMPATIBLE_ROOM_VERSION");
        assertThat(unsupported.json().path("room_version").asText()).isEqualTo("org.example.unknown");
        // without the sender server's signature
        ObjectNode unsigned = ClientEvent.toFederationFormat(good);
        unsigned.putObject("signatures");
        expectError(putV2(hs, good, body(RoomVersions.V10, unsigned)), 403, "M_FORBIDDEN");
        // signed with another key under the sender server's key id
        Pdu forged = PduBuilder.forVersion(RoomVersions.V10)
                .roomId(ROOM)
                .sender(CAROL)
                .type("m.room.member")
                .stateKey(bob.userId())
                .content(JsonNodeFactory.instance.objectNode().put("membership", "invite"))
                .prevEvents(good.prevEventIds())
                .authEvents(good.authEventIds())
                .depth(2)
                .originServerTs(hs.time().nowMillis())
                .build(REMOTE, SigningKey.generate("r1"));
        expectError(putV2(hs, forged), 403, "M_FORBIDDEN");
        // content changed after signing, outside what redaction keeps: same id, but the content hash fails
        ObjectNode tampered = ClientEvent.toFederationFormat(good);
        ((ObjectNode) tampered.get("content")).put("reason", "changed");
        expectError(putV2(hs, good, body(RoomVersions.V10, tampered)), 403, "M_FORBIDDEN");
        // the body's shape
        ObjectNode noEvent = body(RoomVersions.V10, JsonNodeFactory.instance.objectNode());
        noEvent.remove("event");
        expectError(putV2(hs, good, noEvent), 400, "M_MISSING_PARAM");
        ObjectNode noVersion = body(RoomVersions.V10, ClientEvent.toFederationFormat(good));
        noVersion.remove("room_version");
        expectError(putV2(hs, good, noVersion), 400, "M_MISSING_PARAM");
        ObjectNode eventNotObject = body(RoomVersions.V10, JsonNodeFactory.instance.objectNode());
        eventNotObject.put("event", "not an event");
        expectError(putV2(hs, good, eventNotObject), 400, "M_BAD_JSON");
        ObjectNode notAnEvent =
                body(RoomVersions.V10, JsonNodeFactory.instance.objectNode().put("type", "x"));
        expectError(putV2(hs, good, notAnEvent), 400, "M_BAD_JSON");

        assertThat(invites(bob).size()).isZero();
    }

    @Test
    void anInviteWithoutASignedRequestIsUnauthorized(TestHomeserver hs) {
        TestClient bob = hs.registerUser("bob");
        Pdu invite = invite(hs, RoomVersions.V10, CAROL, bob.userId(), "invite");

        TestResponse answer = hs.request(
                "PUT",
                "/_matrix/federation/v2/invite/" + ROOM + "/" + invite.eventId(),
                body(RoomVersions.V10, ClientEvent.toFederationFormat(invite)),
                List.of());

        expectError(answer, 401, "M_UNAUTHORIZED");
    }

    private static void expectError(TestResponse response, int status, String errcode) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errcode()).as(response.body()).isEqualTo(errcode);
    }
}
