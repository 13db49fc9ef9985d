package dev.myelin.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.event.ClientEvent;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.ServerName;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestFederation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gap that {@code get_missing_events} does not close: b.test's events m1 and m2 never reached
 * a.test; when m3 arrives, a.test asks b.test for the missing events, is given m2 alone (whose
 * prev event m1 it lacks), and takes the state after m1 from b.test's {@code /state_ids} and
 * {@code /event}: m2 and m3 join the timeline, m1 is kept as an outlier. The bad answers: a
 * {@code /state_ids} naming more events than are fetched, and a fetched event whose signature
 * does not verify, each leave the gap open and store nothing.
 */
class StateAtGapFederationTest {
    private TestFederation federation;
    private TestClient alice;
    private TestClient bob;
    private String room;

    @BeforeEach
    void start() {
        federation = TestFederation.start("a.test", "b.test");
        alice = federation.server("a.test").registerUser("alice");
        bob = federation.server("b.test").registerUser("bob");
        room = alice.createRoom(JsonNodeFactory.instance.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
    }

    @AfterEach
    void stop() {
        federation.close();
    }

    private static Optional<OutboundResponse> json(String body) {
        return Optional.of(new OutboundResponse(
                200, Map.of("content-type", List.of("application/json")), body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Sends m1 and m2 that a.test never gets, then m3; a.test's requests to b.test pass {@code aToB}. */
    private List<String> sendOverAGap(Function<OutboundRequest, Optional<OutboundResponse>> aToB) {
        return sendOverAGap(aToB, 0);
    }

    /** As {@link #sendOverAGap(Function)}, with {@code junk} made-up events before m2 in the missing events. */
    private List<String> sendOverAGap(Function<OutboundRequest, Optional<OutboundResponse>> aToB, int junk) {
        federation
                .link("b.test", "a.test")
                .answerWith(request -> request.uri().getPath().startsWith("/_matrix/federation/v1/send/")
                        ? json("{\"pdus\":{}}")
                        : Optional.empty());
        String m1 = bob.sendMessage(room, "m1");
        String m2 = bob.sendMessage(room, "m2");
        awaitQueueEmpty();
        federation.link("b.test", "a.test").answerWith(request -> Optional.empty());
        ObjectNode m2Json = ClientEvent.toFederationFormat(atB(m2));
        federation.link("a.test", "b.test").answerWith(request -> {
            if (request.uri().getPath().startsWith("/_matrix/federation/v1/get_missing_events/")) {
                ObjectNode answer = JsonNodeFactory.instance.objectNode();
                ArrayNode events = answer.putArray("events");
                for (int i = 0; i < junk; i++) {
                    events.addObject().put("type", "m.room.message").put("room_id", room);
                }
                events.add(m2Json);
                return json(answer.toString());
            }
            return aToB.apply(request);
        });
        String m3 = bob.sendMessage(room, "m3");
        awaitQueueEmpty();
        return List.of(m1, m2, m3);
    }

    private dev.myelin.core.event.Pdu atB(String eventId) {
        return federation
                .server("b.test")
                .homeserver()
                .testSeam()
                .event(new EventId(eventId))
                .orElseThrow()
                .pdu();
    }

    private boolean atA(String eventId) {
        return federation
                .server("a.test")
                .homeserver()
                .testSeam()
                .event(new EventId(eventId))
                .isPresent();
    }

    private void awaitQueueEmpty() {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)
                && federation.server("b.test").homeserver().testSeam().queuedForFederation(ServerName.parse("a.test"))
                        > 0) {
            pause();
        }
    }

    private List<String> timeline() {
        List<String> bodies = new ArrayList<>();
        JsonNode chunk = alice.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/messages?dir=b&limit=100")
                .expect(200)
                .json()
                .path("chunk");
        for (JsonNode e : chunk) {
            if (e.path("type").asText().equals("m.room.message")) {
                bodies.add(0, e.path("content").path("body").asText());
            }
        }
        return bodies;
    }

    private List<String> pathsAToB() {
        return federation.link("a.test", "b.test").delivered().stream()
                .map(r -> r.uri().getPath()
                        + (r.uri().getRawQuery() == null ? "" : "?" + r.uri().getRawQuery()))
                .toList();
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void theStateAtTheGapComesFromStateIdsAndTheMissingEventIsKeptAsAnOutlier() {
        List<String> sent = sendOverAGap(request -> Optional.empty());

        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline) && !timeline().contains("m3")) {
            pause();
        }
        assertThat(atA(sent.get(0))).as("m1 is kept, as an outlier").isTrue();
        // reading the timeline back past m2 backfills the gap: m1 takes its place before it
        assertThat(timeline()).containsSubsequence("m1", "m2", "m3");
        assertThat(pathsAToB())
                .anyMatch(p -> p.startsWith("/_matrix/federation/v1/state_ids/") && p.contains("event_id="))
                .anyMatch(p -> p.startsWith("/_matrix/federation/v1/event/"));
        // the room's state is whole: alice can still name the room
        alice.sendState(
                room, "m.room.name", "", JsonNodeFactory.instance.objectNode().put("name", "after"));
    }

    @Test
    void aStateIdsAnswerNamingTooManyEventsLeavesTheGapOpenAndStoresNothing() {
        List<String> sent = sendOverAGap(request -> {
            if (!request.uri().getPath().startsWith("/_matrix/federation/v1/state_ids/")) {
                return Optional.empty();
            }
            ObjectNode answer = JsonNodeFactory.instance.objectNode();
            ArrayNode ids = answer.putArray("pdu_ids");
            for (int i = 0; i < 5_000; i++) {
                ids.add("$made-up-" + i);
            }
            answer.putArray("auth_chain_ids");
            return json(answer.toString());
        });

        assertThat(pathsAToB()).anyMatch(p -> p.startsWith("/_matrix/federation/v1/state_ids/"));
        assertThat(pathsAToB()).noneMatch(p -> p.startsWith("/_matrix/federation/v1/event/"));
        assertThat(sent).noneMatch(this::atA);
        assertThat(timeline()).doesNotContain("m1", "m2", "m3");
    }

    @Test
    void aFetchedEventWhoseSignatureDoesNotVerifyIsLeftOut() {
        List<String> sent = new ArrayList<>();
        sent.addAll(sendOverAGap(request -> {
            if (!request.uri().getPath().startsWith("/_matrix/federation/v1/event/")) {
                return Optional.empty();
            }
            String id = java.net.URLDecoder.decode(
                    request.uri().getRawPath().substring("/_matrix/federation/v1/event/".length()),
                    StandardCharsets.UTF_8);
            ObjectNode event = ClientEvent.toFederationFormat(atB(id));
            ((ObjectNode) event.get("signatures")).putObject("b.test").put("ed25519:a_0", "AAAA");
            ObjectNode answer = JsonNodeFactory.instance.objectNode().put("origin", "b.test");
            answer.put("origin_server_ts", 1L).putArray("pdus").add(event);
            return json(answer.toString());
        }));

        assertThat(pathsAToB()).anyMatch(p -> p.startsWith("/_matrix/federation/v1/event/"));
        assertThat(sent).noneMatch(this::atA);
        assertThat(timeline()).doesNotContain("m1", "m2", "m3");
    }

    @Test
    void thousandsOfMissingEventsFromAServerAreCutToTheLimitAndStoreNothingElse() {
        List<String> sent = sendOverAGap(request -> Optional.empty(), 5_000);

        // m2 came after the first 20 and was not looked at; m3 stays unplaced
        assertThat(pathsAToB()).noneMatch(p -> p.startsWith("/_matrix/federation/v1/state_ids/"));
        assertThat(sent).noneMatch(this::atA);
        assertThat(timeline()).doesNotContain("m1", "m2", "m3");
    }

    @Test
    void aStateAtTheGapWithoutThePowerLevelsDoesNotTakeThemFromTheRoom() {
        dev.myelin.core.id.RoomId roomId = dev.myelin.core.id.RoomId.parse(room);
        var seam = federation.server("a.test").homeserver().testSeam();
        String create = seam.stateEvent(roomId, "m.room.create", "")
                .orElseThrow()
                .eventId()
                .value();
        String bobJoin = seam.stateEvent(roomId, "m.room.member", bob.userId())
                .orElseThrow()
                .eventId()
                .value();
        sendOverAGap(request -> {
            if (!request.uri().getPath().startsWith("/_matrix/federation/v1/state_ids/")) {
                return Optional.empty();
            }
            // b.test claims the room had no power levels and no alice at the gap
            ObjectNode answer = JsonNodeFactory.instance.objectNode();
            answer.putArray("pdu_ids").add(create).add(bobJoin);
            answer.putArray("auth_chain_ids").add(create);
            return json(answer.toString());
        });

        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline) && !timeline().contains("m3")) {
            pause();
        }
        assertThat(timeline()).contains("m2", "m3");
        // the room's current state keeps what the gap's state lacked
        alice.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/state/m.room.power_levels/")
                .expect(200);
        assertThat(alice.get("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/joined_members")
                        .expect(200)
                        .json()
                        .path("joined")
                        .has(alice.userId()))
                .isTrue();
        alice.sendState(
                room, "m.room.name", "", JsonNodeFactory.instance.objectNode().put("name", "still ours"));
    }
}
