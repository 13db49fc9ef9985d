package dev.myelin.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.EventHashes;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.UserId;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.storage.event.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rooms reaching across the servers of a TestFederation: an invite of another server's user is
 * signed by that server before it is kept, shows in the invitee's {@code /sync} with the room's
 * stripped state, and can be rejected; events of a room with members on another server are queued
 * for that server.
 */
class TestFederationInviteTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private TestFederation federation;
    private TestHomeserver a;
    private TestHomeserver b;
    private TestClient alice;
    private TestClient bob;

    @BeforeEach
    void start() {
        federation = TestFederation.start("a.test", "b.test");
        a = federation.server("a.test");
        b = federation.server("b.test");
        alice = a.registerUser("alice");
        bob = b.registerUser("bob");
    }

    @AfterEach
    void stop() {
        federation.close();
    }

    private String lunchRoom() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("name", "Lunch");
        body.put("topic", "where to eat");
        return alice.createRoom(body);
    }

    @Test
    void anInviteOfAnotherServersUserIsSignedByItAndShowsInTheInviteesSyncOnce() {
        String room = lunchRoom();
        JsonNode before = bob.sync(null, Map.of("timeout", "0"));

        alice.invite(room, bob.userId()).expect(200);

        // a.test keeps the invite with both servers' signatures
        StoredEvent kept = memberEvent(a, room, bob.userId());
        assertThat(kept.pdu().content().path("membership").asText()).isEqualTo("invite");
        assertThat(kept.pdu().json().path("signatures").has("a.test")).isTrue();
        assertThat(kept.pdu().json().path("signatures").has("b.test")).isTrue();
        assertThat(federation.link("a.test", "b.test").delivered())
                .extracting(r -> r.uri().getPath())
                .contains("/_matrix/federation/v2/invite/" + room + "/"
                        + kept.eventId().value());

        JsonNode incremental = bob.sync(before.path("next_batch").asText(), Map.of("timeout", "0"));
        JsonNode entry = incremental.path("rooms").path("invite").path(room);
        List<String> state = new ArrayList<>();
        for (JsonNode event : entry.path("invite_state").path("events")) {
            state.add(
                    event.path("type").asText() + " " + event.path("state_key").asText());
        }
        assertThat(state)
                .containsExactly(
                        "m.room.create ",
                        // for the guest access check of a guest invited from another server
                        "m.room.guest_access ",
                        "m.room.join_rules ",
                        "m.room.name ",
                        "m.room.topic ",
                        "m.room.member " + alice.userId(),
                        "m.room.member " + bob.userId());
        JsonNode invite = entry.path("invite_state").path("events").get(6);
        assertThat(invite.path("event_id").asText()).isEqualTo(kept.eventId().value());
        assertThat(invite.path("sender").asText()).isEqualTo(alice.userId());
        assertThat(invite.path("content").path("membership").asText()).isEqualTo("invite");
        assertThat(entry.path("invite_state")
                        .path("events")
                        .get(3)
                        .path("content")
                        .path("name")
                        .asText())
                .isEqualTo("Lunch");

        // shown once: the next incremental sync has no invite
        JsonNode next = bob.sync(incremental.path("next_batch").asText(), Map.of("timeout", "0"));
        assertThat(next.path("rooms").path("invite").has(room)).isFalse();
        // an initial sync shows it while it is pending
        assertThat(bob.sync(null, Map.of("timeout", "0"))
                        .path("rooms")
                        .path("invite")
                        .has(room))
                .isTrue();
    }

    @Test
    void rejectingAnInviteWhenTheInvitingServerCannotBeReachedLeavesTheRoomLocally() {
        String room = lunchRoom();
        alice.invite(room, bob.userId()).expect(200);
        String since = bob.sync(null, Map.of("timeout", "0")).path("next_batch").asText();

        federation.link("b.test", "a.test").fail();
        bob.leave(room).expect(200);

        JsonNode sync = bob.sync(since, Map.of("timeout", "0"));
        assertThat(sync.path("rooms").path("invite").has(room)).isFalse();
        JsonNode timeline =
                sync.path("rooms").path("leave").path(room).path("timeline").path("events");
        assertThat(timeline).hasSize(1);
        assertThat(timeline.get(0).path("type").asText()).isEqualTo("m.room.member");
        assertThat(timeline.get(0).path("state_key").asText()).isEqualTo(bob.userId());
        assertThat(timeline.get(0).path("sender").asText()).isEqualTo(bob.userId());
        assertThat(timeline.get(0).path("content").path("membership").asText()).isEqualTo("leave");
        // the invite is gone from an initial sync too
        JsonNode initial = bob.sync(null, Map.of("timeout", "0"));
        assertThat(initial.path("rooms").path("invite").has(room)).isFalse();
        // and a second leave finds nothing to reject
        assertThat(bob.leave(room).status()).isEqualTo(404);
    }

    @Test
    void rejectingAnInviteGoesThroughTheInvitingServersMakeLeaveAndSendLeave() {
        String room = lunchRoom();
        alice.invite(room, bob.userId()).expect(200);
        StoredEvent invite = memberEvent(a, room, bob.userId());
        StoredEvent create = a.homeserver()
                .testSeam()
                .stateEvent(RoomId.parse(room), "m.room.create", "")
                .orElseThrow();
        StoredEvent power = a.homeserver()
                .testSeam()
                .stateEvent(RoomId.parse(room), "m.room.power_levels", "")
                .orElseThrow();
        // a.test's make_leave and send_leave as a server that serves them answers
        List<JsonNode> sentLeaves = new ArrayList<>();
        federation.link("b.test", "a.test").answerWith(request -> {
            String path = request.uri().getPath();
            if (path.startsWith("/_matrix/federation/v1/make_leave/")) {
                ObjectNode answer = JsonNodeFactory.instance.objectNode().put("room_version", "10");
                ObjectNode template = answer.putObject("event")
                        .put("type", "m.room.member")
                        .put("room_id", room)
                        .put("sender", bob.userId())
                        .put("state_key", bob.userId())
                        .put("origin", "a.test")
                        .put("origin_server_ts", federation.clock().nowMillis())
                        .put("depth", invite.pdu().depth() + 1);
                template.putObject("content").put("membership", "leave");
                template.putArray("prev_events").add(invite.eventId().value());
                template.putArray("auth_events")
                        .add(create.eventId().value())
                        .add(power.eventId().value())
                        .add(invite.eventId().value());
                return Optional.of(json(answer));
            }
            if (path.startsWith("/_matrix/federation/v2/send_leave/")) {
                sentLeaves.add(request.body()
                        .map(body -> EndpointJson.fromBytes(body.bytes(), JsonNode.class))
                        .orElseThrow());
                return Optional.of(json(JsonNodeFactory.instance.objectNode()));
            }
            return Optional.empty();
        });
        String since = bob.sync(null, Map.of("timeout", "0")).path("next_batch").asText();

        bob.leave(room).expect(200);

        assertThat(sentLeaves).hasSize(1);
        JsonNode leave = sentLeaves.getFirst();
        assertThat(leave.path("sender").asText()).isEqualTo(bob.userId());
        assertThat(leave.path("state_key").asText()).isEqualTo(bob.userId());
        assertThat(leave.path("content").path("membership").asText()).isEqualTo("leave");
        assertThat(leave.path("prev_events").get(0).asText())
                .isEqualTo(invite.eventId().value());
        assertThat(leave.path("auth_events")).hasSize(3);
        assertThat(leave.path("signatures").has("b.test")).isTrue();
        String leaveId =
                EventHashes.eventId((ObjectNode) leave, invite.pdu().version()).value();
        JsonNode left = bob.sync(since, Map.of("timeout", "0"))
                .path("rooms")
                .path("leave")
                .path(room);
        assertThat(left.path("timeline").path("events").get(0).path("event_id").asText())
                .isEqualTo(leaveId);
    }

    private static OutboundResponse json(JsonNode body) {
        return new OutboundResponse(
                200, Map.of("content-type", List.of("application/json")), EndpointJson.toBytes(body));
    }

    @Test
    void rejectingAnInviteAsksTheInvitingServerFirst() {
        String room = lunchRoom();
        alice.invite(room, bob.userId()).expect(200);

        bob.leave(room).expect(200);

        // a.test does not serve make_leave yet, so b.test rejects the invite locally after asking
        assertThat(federation.link("b.test", "a.test").delivered())
                .extracting(r -> r.uri().getPath())
                .contains("/_matrix/federation/v1/make_leave/" + room + "/" + bob.userId());
        assertThat(bob.sync(null, Map.of("timeout", "0"))
                        .path("rooms")
                        .path("invite")
                        .has(room))
                .isFalse();
    }

    @Test
    void anInviteTheInviteesServerRefusesOrCannotTakeIsNotKept() {
        String room = lunchRoom();

        // b.test refuses the invite
        federation
                .link("a.test", "b.test")
                .answerWith(request -> request.uri().getPath().startsWith("/_matrix/federation/v2/invite/")
                        ? Optional.of(new OutboundResponse(
                                403,
                                Map.of("content-type", List.of("application/json")),
                                "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"not wanted\"}"
                                        .getBytes(StandardCharsets.UTF_8)))
                        : Optional.empty());
        assertThat(alice.invite(room, "@nobody:b.test").status()).isEqualTo(403);
        assertThat(a.homeserver().testSeam().stateEvent(RoomId.parse(room), "m.room.member", "@nobody:b.test"))
                .isEmpty();

        federation.link("a.test", "b.test").answerWith(request -> Optional.empty());
        federation.link("a.test", "b.test").fail();
        TestResponse unreachable = alice.invite(room, bob.userId());
        assertThat(unreachable.status()).isEqualTo(502);
        assertThat(unreachable.errcode()).isEqualTo("M_UNKNOWN");
        assertThat(a.homeserver().testSeam().stateEvent(RoomId.parse(room), "m.room.member", bob.userId()))
                .isEmpty();
        assertThat(bob.sync(null, Map.of("timeout", "0"))
                        .path("rooms")
                        .path("invite")
                        .has(room))
                .isFalse();
    }

    @Test
    void eventsOfARoomWithAMemberOnAnotherServerAreQueuedForThatServer() {
        ObjectNode publicRoom = JsonNodeFactory.instance.objectNode().put("preset", "public_chat");
        String room = alice.createRoom(publicRoom);
        String before = alice.sendMessage(room, "before anyone from b.test is here");
        // bob's join as b.test would have made it: joins over federation are not built yet
        a.homeserver().testSeam().persistRemoteMembership(RoomId.parse(room), UserId.parse(bob.userId()), "join");

        String message = alice.sendMessage(room, "hello b.test");

        List<String> sent = awaitSentPdus(message);
        // what was sent before b.test had a member in the room is not sent
        assertThat(sent).contains(message).doesNotContain(before);
    }

    @Test
    void aKickOfTheLastMemberOfAServerStillReachesThatServer() {
        ObjectNode publicRoom = JsonNodeFactory.instance.objectNode().put("preset", "public_chat");
        String room = alice.createRoom(publicRoom);
        a.homeserver().testSeam().persistRemoteMembership(RoomId.parse(room), UserId.parse(bob.userId()), "join");

        ObjectNode kick = JsonNodeFactory.instance.objectNode().put("user_id", bob.userId());
        String kickId = alice.post("/_matrix/client/v3/rooms/" + room + "/kick", kick)
                .expect(200)
                .json()
                .path("event_id")
                .asText();
        String kickEvent =
                kickId.isEmpty() ? memberEvent(a, room, bob.userId()).eventId().value() : kickId;

        assertThat(awaitSentPdus(kickEvent)).contains(kickEvent);
    }

    /** The ids of the PDUs a.test sent to b.test in transactions, once {@code expected} is among them. */
    private List<String> awaitSentPdus(String expected) {
        Instant deadline = Instant.now().plus(WAIT);
        List<String> ids = sentPdus();
        while (!ids.contains(expected) && Instant.now().isBefore(deadline)) {
            pause();
            ids = sentPdus();
        }
        return ids;
    }

    private List<String> sentPdus() {
        List<String> ids = new ArrayList<>();
        for (var request : federation.link("a.test", "b.test").delivered()) {
            if (!request.uri().getPath().startsWith("/_matrix/federation/v1/send/")) {
                continue;
            }
            JsonNode body = request.body()
                    .map(bytes -> EndpointJson.fromBytes(bytes.bytes(), JsonNode.class))
                    .orElseThrow();
            for (JsonNode pdu : body.path("pdus")) {
                // sent without this server's own unsigned keys
                assertThat(pdu.has("unsigned")).isFalse();
                RoomVersion version = a.homeserver()
                        .testSeam()
                        .stateEvent(RoomId.parse(pdu.path("room_id").asText()), "m.room.create", "")
                        .orElseThrow()
                        .pdu()
                        .version();
                ids.add(EventHashes.eventId((ObjectNode) pdu, version).value());
            }
        }
        return ids;
    }

    private static StoredEvent memberEvent(TestHomeserver hs, String room, String user) {
        return hs.homeserver()
                .testSeam()
                .stateEvent(RoomId.parse(room), "m.room.member", user)
                .orElseThrow();
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
