package dev.myelin.server.api;

import static dev.myelin.server.api.SyncApiTest.assertError;
import static dev.myelin.server.api.SyncApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.server.api.client.legacy.EventStreamEndpoint;
import dev.myelin.server.api.client.legacy.InitialSyncEndpoint;
import dev.myelin.server.api.client.legacy.LegacyGetEventEndpoint;
import dev.myelin.server.api.client.legacy.RedactWithoutTxnEndpoint;
import dev.myelin.server.api.client.legacy.SendMessageWithoutTxnEndpoint;
import dev.myelin.server.api.client.room.ReasonRequest;
import dev.myelin.server.handler.legacy.EventStreamPage;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The deprecated event stream {@code GET /events}, {@code GET /events/{eventId}} and sending without a txn id. */
@ExtendWith(HomeserverExtension.class)
class LegacyEventStreamApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static EndpointCall<NoBody, EventStreamPage> events(Map<String, String> query) {
        EndpointCall<NoBody, EventStreamPage> call = EndpointCall.of(EventStreamEndpoint.SPEC);
        for (Map.Entry<String, String> arg : query.entrySet()) {
            call = call.query(arg.getKey(), arg.getValue());
        }
        return call;
    }

    /** Events after {@code from}, without waiting. */
    private static EventStreamPage after(TestClient client, String from) {
        return client.send(events(Map.of("from", from, "timeout", "0")));
    }

    /** The stream position now, as a client that starts listening gets it. */
    private static String now(TestClient client) {
        return client.send(events(Map.of("timeout", "0"))).end();
    }

    private static List<String> types(JsonNode chunk) {
        List<String> out = new ArrayList<>();
        chunk.forEach(e -> out.add(e.get("type").asText()));
        return out;
    }

    private static List<String> bodies(JsonNode chunk) {
        List<String> out = new ArrayList<>();
        chunk.forEach(e -> {
            if (e.get("type").asText().equals("m.room.message")) {
                out.add(e.at("/content/body").asText());
            }
        });
        return out;
    }

    @Test
    void startsAtNowAndServesLaterEventsInTheFirstClientFormat(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        EventStreamPage first = alice.send(events(Map.of("timeout", "0")));
        assertThat(first.chunk()).as("nothing happened since now").isEmpty();
        assertThat(first.start()).isEqualTo(first.end());

        String message = alice.sendMessage(room, "hello");
        long ts = hs.clock().nowMillis();
        hs.clock().advance(Duration.ofSeconds(2));
        EventStreamPage next = after(alice, first.end());
        assertThat(next.start()).isEqualTo(first.end());
        assertThat(next.chunk()).hasSize(1);
        ObjectNode event = (ObjectNode) next.chunk().get(0).deepCopy();
        assertThat(event.at("/unsigned/transaction_id").isTextual())
                .as("the sending device gets its txn id")
                .isTrue();
        ((ObjectNode) event.get("unsigned")).remove("transaction_id");
        assertThat(event)
                .isEqualTo(json("{\"event_id\":\"" + message + "\",\"room_id\":\"" + room + "\","
                        + "\"sender\":\"@alice:test.local\",\"user_id\":\"@alice:test.local\",\"origin_server_ts\":"
                        + ts
                        + ",\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"hello\"},"
                        + "\"unsigned\":{\"age\":2000},\"age\":2000}"));
        assertThat(after(alice, next.end()).chunk()).as("already seen").isEmpty();
    }

    @Test
    void syncAndInitialSyncTokensAreValidStartingPoints(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String nextBatch = alice.sync(null, Map.of()).get("next_batch").asText();
        String initialEnd =
                alice.send(EndpointCall.of(InitialSyncEndpoint.SPEC)).end();
        alice.sendMessage(room, "after both");

        assertThat(bodies(after(alice, nextBatch).chunk())).containsExactly("after both");
        assertThat(bodies(after(alice, initialEnd).chunk())).containsExactly("after both");
    }

    @Test
    void limitHandsOutTheOldestEventsFirstUntilAllAreSeen(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String from = now(alice);
        for (int i = 1; i <= 5; i++) {
            alice.sendMessage(room, "m" + i);
        }
        EventStreamPage none = alice.send(events(Map.of("from", from, "timeout", "0", "limit", "0")));
        assertThat(bodies(none.chunk())).as("limit=0 asks for no room events").isEmpty();
        from = none.end();
        List<List<String>> pages = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            EventStreamPage page = alice.send(events(Map.of("from", from, "timeout", "0", "limit", "2")));
            pages.add(bodies(page.chunk()));
            from = page.end();
        }
        assertThat(pages).containsExactly(List.of("m1", "m2"), List.of("m3", "m4"), List.of("m5"), List.of());
    }

    @Test
    void longPollWakesOnANewEvent(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        String from = now(alice);

        CompletableFuture<EventStreamPage> poll =
                CompletableFuture.supplyAsync(() -> alice.send(events(Map.of("from", from, "timeout", "60000"))));
        assertThat(hs.clock().awaitSleepers(1, Duration.ofSeconds(10))).isTrue();
        assertThat(poll).isNotDone();
        alice.sendMessage(room, "wake up");
        EventStreamPage woken = poll.get(10, TimeUnit.SECONDS);
        assertThat(bodies(woken.chunk())).containsExactly("wake up");
        assertThat(woken.start()).isEqualTo(from);
    }

    @Test
    void longPollEndsEmptyWhenItsTimeoutPassesOnTheClock(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        alice.createRoom(null);
        String from = now(alice);

        CompletableFuture<EventStreamPage> poll =
                CompletableFuture.supplyAsync(() -> alice.send(events(Map.of("from", from, "timeout", "30000"))));
        assertThat(hs.clock().awaitSleepers(1, Duration.ofSeconds(10))).isTrue();
        assertThat(hs.clock().advance(Duration.ofMillis(29_999)))
                .as("threads woken")
                .isEmpty();
        assertThat(poll).isNotDone();
        hs.clock().advance(Duration.ofMillis(1));
        EventStreamPage timedOut = poll.get(10, TimeUnit.SECONDS);
        assertThat(timedOut.chunk()).isEmpty();
        assertThat(timedOut.start()).isEqualTo(from);
        assertThat(timedOut.end()).isEqualTo(from);
    }

    @Test
    void typingReceiptsPresenceAndAccountDataNameTheirRoom(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        String message = alice.sendMessage(room, "read me");
        String from = now(alice);
        String encodedRoom = TestClient.encode(room);
        String user = TestClient.encode(alice.userId());

        alice.put(
                        "/_matrix/client/v3/rooms/" + encodedRoom + "/typing/" + user,
                        NODES.objectNode().put("typing", true).put("timeout", 10_000))
                .expect(200);
        alice.post(
                        "/_matrix/client/v3/rooms/" + encodedRoom + "/receipt/m.read/" + TestClient.encode(message),
                        NODES.objectNode())
                .expect(200);
        alice.put(
                        "/_matrix/client/v3/user/" + user + "/account_data/my.type",
                        NODES.objectNode().put("a", 1))
                .expect(200);
        alice.put(
                        "/_matrix/client/v3/user/" + user + "/rooms/" + encodedRoom + "/tags/work",
                        NODES.objectNode().put("order", 0.5))
                .expect(200);
        String bobId = TestClient.encode(bob.userId());
        bob.put("/_matrix/client/v3/presence/" + bobId + "/status", json("{\"presence\":\"unavailable\"}"))
                .expect(200);

        JsonNode chunk = after(alice, from).chunk();
        long ts = hs.clock().nowMillis();
        assertThat(chunk)
                .isEqualTo(json("[{\"type\":\"m.presence\",\"sender\":\"@bob:test.local\",\"content\":{"
                        + "\"presence\":\"unavailable\",\"last_active_ago\":0,\"currently_active\":false,"
                        + "\"user_id\":\"@bob:test.local\"}},"
                        + "{\"type\":\"m.typing\",\"room_id\":\"" + room
                        + "\",\"content\":{\"user_ids\":[\"@alice:test.local\"]}},"
                        + "{\"type\":\"m.receipt\",\"room_id\":\"" + room + "\",\"content\":{\"" + message
                        + "\":{\"m.read\":{\"@alice:test.local\":{\"ts\":" + ts + "}}}}},"
                        + "{\"type\":\"my.type\",\"content\":{\"a\":1}},"
                        + "{\"type\":\"m.tag\",\"content\":{\"tags\":{\"work\":{\"order\":0.5}}},\"room_id\":\""
                        + room + "\"}]"));
    }

    @Test
    void invitesToOtherRoomsAppearAndPeekingNeedsAWorldReadableRoom(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(null);
        String from = now(bob);
        alice.invite(room, bob.userId()).expect(200);
        JsonNode invite = after(bob, from).chunk().get(0);
        assertThat(invite.get("type").asText()).isEqualTo("m.room.member");
        assertThat(invite.get("state_key").asText()).isEqualTo(bob.userId());
        assertThat(invite.at("/content/membership").asText()).isEqualTo("invite");

        TestClient eve = hs.registerUser("eve");
        assertError(eve.call(events(Map.of("room_id", room, "timeout", "0"))), 403, "M_FORBIDDEN");
        Memberships.state(
                hs,
                room,
                alice.userId(),
                "m.room.history_visibility",
                "",
                NODES.objectNode().put("history_visibility", "world_readable"));
        String peekFrom =
                eve.send(events(Map.of("room_id", room, "timeout", "0"))).end();
        alice.sendMessage(room, "for everyone");
        EventStreamPage peeked = eve.send(events(Map.of("room_id", room, "from", peekFrom, "timeout", "0")));
        assertThat(bodies(peeked.chunk())).containsExactly("for everyone");
        assertThat(after(eve, peekFrom).chunk())
                .as("without room_id only joined rooms are followed")
                .isEmpty();
    }

    @Test
    void eventsOfJoinedRoomsGoThroughHistoryVisibility(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        Memberships.state(
                hs,
                room,
                alice.userId(),
                "m.room.history_visibility",
                "",
                NODES.objectNode().put("history_visibility", "joined"));
        String from = now(bob);
        alice.sendMessage(room, "before bob");
        bob.join(room).expect(200);
        alice.sendMessage(room, "after bob");
        JsonNode chunk = after(bob, from).chunk();
        assertThat(types(chunk)).contains("m.room.member");
        assertThat(bodies(chunk)).containsExactly("after bob");
    }

    @Test
    void aJoinBringsThePresenceOfWhoJoinedOrOfEveryoneInTheRoomJoined(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String aliceFrom = now(alice);
        String bobFrom = now(bob);
        bob.join(room).expect(200);

        JsonNode seenByAlice = after(alice, aliceFrom).chunk();
        assertThat(types(seenByAlice)).containsExactly("m.room.member", "m.presence");
        assertThat(seenByAlice.get(1))
                .isEqualTo(json("{\"type\":\"m.presence\",\"sender\":\"@bob:test.local\",\"content\":{"
                        + "\"presence\":\"online\",\"last_active_ago\":0,\"currently_active\":true,"
                        + "\"user_id\":\"@bob:test.local\"}}"));
        List<String> seenByBob = new ArrayList<>();
        after(bob, bobFrom).chunk().forEach(e -> {
            if (e.get("type").asText().equals("m.presence")) {
                seenByBob.add(e.get("sender").asText());
            }
        });
        assertThat(seenByBob).containsExactlyInAnyOrder(alice.userId(), bob.userId());
    }

    @Test
    void rejectsBadParameters(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String from = now(alice);
        assertError(alice.call(events(Map.of("from", "t1-2"))), 400, "M_INVALID_PARAM");
        assertError(alice.call(events(Map.of("from", "nonsense"))), 400, "M_INVALID_PARAM");
        assertError(alice.call(events(Map.of("from", from, "limit", "hello"))), 400, "M_INVALID_PARAM");
        assertError(alice.call(events(Map.of("from", from, "limit", "-2"))), 400, "M_INVALID_PARAM");
        assertError(alice.call(events(Map.of("from", from, "timeout", "hello"))), 400, "M_INVALID_PARAM");
        assertError(alice.call(events(Map.of("from", from, "timeout", "-1"))), 400, "M_INVALID_PARAM");
        assertError(alice.call(events(Map.of("room_id", "not a room"))), 400, "M_INVALID_PARAM");
        assertError(hs.anonymous().call(events(Map.of())), 401, "M_MISSING_TOKEN");
    }

    @Test
    void getsOneEventByIdOnlyWhenTheUserMaySeeIt(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient eve = hs.registerUser("eve");
        String room = alice.createRoom(null);
        String message = alice.sendMessage(room, "mine");

        JsonNode event = alice.call(EndpointCall.of(LegacyGetEventEndpoint.SPEC, message))
                .expect(200)
                .json();
        assertThat(event.get("event_id").asText()).isEqualTo(message);
        assertThat(event.get("room_id").asText()).isEqualTo(room);
        assertThat(event.get("user_id").asText()).isEqualTo(alice.userId());
        assertThat(event.at("/content/body").asText()).isEqualTo("mine");

        assertError(eve.call(EndpointCall.of(LegacyGetEventEndpoint.SPEC, message)), 404, "M_NOT_FOUND");
        assertError(
                alice.call(EndpointCall.of(LegacyGetEventEndpoint.SPEC, "$unknown:test.local")), 404, "M_NOT_FOUND");
        assertError(alice.call(EndpointCall.of(LegacyGetEventEndpoint.SPEC, "no-sigil")), 400, "M_INVALID_PARAM");
    }

    @Test
    void sendingWithoutATxnIdSendsANewEventEachTime(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient eve = hs.registerUser("eve");
        String room = alice.createRoom(null);
        ObjectNode content = NODES.objectNode().put("msgtype", "m.text").put("body", "again");
        String first = alice.send(EndpointCall.of(SendMessageWithoutTxnEndpoint.SPEC, content, room, "m.room.message"))
                .eventId();
        String second = alice.send(EndpointCall.of(SendMessageWithoutTxnEndpoint.SPEC, content, room, "m.room.message"))
                .eventId();
        assertThat(first).isNotEqualTo(second);
        assertThat(alice.messages(room, 2))
                .extracting(e -> e.eventId().orElseThrow())
                .containsExactly(first, second);

        String path = SendMessageWithoutTxnEndpoint.SPEC.pathOf(room, "m.room.message");
        assertError(alice.post(path, "{not json"), 400, "M_NOT_JSON");
        assertError(alice.post(path, "[1]"), 400, "M_BAD_JSON");
        assertError(alice.post(path, "{\"n\":1.5}"), 400, "M_BAD_JSON");
        assertError(
                eve.call(EndpointCall.of(SendMessageWithoutTxnEndpoint.SPEC, content, room, "m.room.message")),
                403,
                "M_FORBIDDEN");
        assertError(
                alice.call(EndpointCall.of(
                        SendMessageWithoutTxnEndpoint.SPEC, content, "!nowhere:test.local", "m.room.message")),
                404,
                "M_NOT_FOUND");
        assertError(
                alice.call(EndpointCall.of(SendMessageWithoutTxnEndpoint.SPEC, content, "nowhere", "m.room.message")),
                400,
                "M_INVALID_PARAM");
    }

    @Test
    void redactingWithoutATxnIdRedactsEachTime(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient eve = hs.registerUser("eve");
        String room = alice.createRoom(null);
        alice.invite(room, eve.userId());
        eve.join(room);
        String message = alice.sendMessage(room, "oops");
        String first = alice.send(
                        EndpointCall.of(RedactWithoutTxnEndpoint.SPEC, new ReasonRequest("typo"), room, message))
                .eventId();
        String second = alice.send(EndpointCall.of(RedactWithoutTxnEndpoint.SPEC, ReasonRequest.NONE, room, message))
                .eventId();
        assertThat(first).isNotEqualTo(second);
        assertThat(alice.messages(room, 3))
                .extracting(e -> e.eventId().orElseThrow())
                .containsExactly(message, first, second);

        String path = RedactWithoutTxnEndpoint.SPEC.pathOf(room, message);
        assertThat(alice.post(path, null).status()).isEqualTo(200);
        assertError(alice.post(path, "{not json"), 400, "M_NOT_JSON");
        assertError(
                eve.call(EndpointCall.of(RedactWithoutTxnEndpoint.SPEC, ReasonRequest.NONE, room, message)),
                403,
                "M_FORBIDDEN");
        assertError(
                alice.call(EndpointCall.of(RedactWithoutTxnEndpoint.SPEC, ReasonRequest.NONE, "nowhere", message)),
                400,
                "M_INVALID_PARAM");
    }
}
