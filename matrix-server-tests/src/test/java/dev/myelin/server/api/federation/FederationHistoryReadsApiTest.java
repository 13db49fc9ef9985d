package dev.myelin.server.api.federation;

import static dev.myelin.server.api.federation.RoomReadsFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.MissingEventsRequest;
import dev.myelin.federation.api.MissingEventsResponse;
import dev.myelin.federation.api.PduTransaction;
import dev.myelin.federation.api.TimestampToEventResponse;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.federation.client.FederationErrorException;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /backfill}, {@code POST /get_missing_events} and {@code GET /timestamp_to_event} for
 * another server, with the typed client and with hand-signed requests.
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "trusted_key_servers", value = "[]")
// many requests from one server in one instant of the fake clock: none may wait for it to move
@OverrideConfig(key = "rc_federation", value = "{sleep_limit: 1000, reject_limit: 1000}")
class FederationHistoryReadsApiTest {
    // ---- /backfill -----------------------------------------------------------------------------

    @Test
    void backfillWalksBackFromTheGivenEvents(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        remoteJoins(hs, room);
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            messages.add(alice.sendMessage(room, "m" + i));
        }

        PduTransaction answer = client(hs)
                .send(
                        local(hs),
                        EndpointCall.of(FederationEndpoints.BACKFILL, room)
                                .query("v", messages.get(4))
                                .query("limit", 3));

        assertThat(answer.origin()).isEqualTo(hs.serverName());
        assertThat(answer.pdus())
                .containsExactly(stored(hs, messages.get(4)), stored(hs, messages.get(3)), stored(hs, messages.get(2)));

        PduTransaction twoSeeds = client(hs)
                .send(
                        local(hs),
                        EndpointCall.of(FederationEndpoints.BACKFILL, room)
                                .query("v", messages.get(1))
                                .query("v", messages.get(3))
                                .query("limit", 3));
        assertThat(twoSeeds.pdus())
                .containsExactly(stored(hs, messages.get(3)), stored(hs, messages.get(2)), stored(hs, messages.get(1)));

        PduTransaction all = client(hs)
                .send(
                        local(hs),
                        EndpointCall.of(FederationEndpoints.BACKFILL, room)
                                .query("v", messages.get(4))
                                .query("limit", 1000));
        String create = hs.homeserver()
                .testSeam()
                .stateEvent(RoomId.parse(room), "m.room.create", "")
                .orElseThrow()
                .eventId()
                .value();
        assertThat(all.pdus().getLast()).as("the walk reaches the room's start").isEqualTo(stored(hs, create));
    }

    @Test
    void backfillIsCappedAtOneHundredEvents(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        remoteJoins(hs, room);
        String last = null;
        for (int i = 0; i < 105; i++) {
            last = alice.sendMessage(room, "m" + i);
        }

        PduTransaction answer = client(hs)
                .send(
                        local(hs),
                        EndpointCall.of(FederationEndpoints.BACKFILL, room)
                                .query("v", last)
                                .query("limit", 500));

        assertThat(answer.pdus()).hasSize(100);
    }

    @Test
    void badBackfillRequestsGetMatrixErrors(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        String other = publicRoom(alice);
        remoteJoins(hs, room);
        String message = alice.sendMessage(room, "hi");
        String base = "/_matrix/federation/v1/backfill/" + TestClient.encode(room);
        String v = "v=" + TestClient.encode(message);

        expectError(signedGet(hs, base + "?limit=5"), 400, "M_MISSING_PARAM");
        expectError(signedGet(hs, base + "?" + v), 400, "M_MISSING_PARAM");
        expectError(signedGet(hs, base + "?" + v + "&limit=five"), 400, "M_INVALID_PARAM");
        expectError(signedGet(hs, base + "?" + v + "&limit=0"), 400, "M_INVALID_PARAM");
        expectError(signedGet(hs, base + "?v=nope&limit=5"), 400, "M_INVALID_PARAM");
        expectError(
                signedGet(hs, "/_matrix/federation/v1/backfill/" + TestClient.encode(other) + "?" + v + "&limit=5"),
                403,
                "M_FORBIDDEN");
        expectError(
                signedGet(
                        hs,
                        "/_matrix/federation/v1/backfill/" + TestClient.encode("!nope:" + hs.serverName()) + "?" + v
                                + "&limit=5"),
                404,
                "M_NOT_FOUND");
        assertThat(signedGet(hs, base + "?v=" + TestClient.encode("$unknown:x.test") + "&limit=5")
                        .expect(200)
                        .json()
                        .path("pdus")
                        .size())
                .as("unknown events are passed over")
                .isZero();
    }

    // ---- /get_missing_events -------------------------------------------------------------------

    @Test
    void missingEventsAreThoseBetweenEarliestAndLatest(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        remoteJoins(hs, room);
        List<String> m = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            m.add(alice.sendMessage(room, "m" + i));
        }
        FederationClient client = client(hs);

        MissingEventsResponse between = client.send(
                local(hs),
                EndpointCall.of(
                        FederationEndpoints.GET_MISSING_EVENTS,
                        new MissingEventsRequest(List.of(m.get(0)), List.of(m.get(5))),
                        room));
        assertThat(between.events())
                .as("oldest first, neither end included")
                .containsExactly(
                        stored(hs, m.get(1)), stored(hs, m.get(2)), stored(hs, m.get(3)), stored(hs, m.get(4)));

        MissingEventsResponse limited = client.send(
                local(hs),
                EndpointCall.of(
                        FederationEndpoints.GET_MISSING_EVENTS,
                        new MissingEventsRequest(List.of(m.get(0)), List.of(m.get(5)), 2L, null),
                        room));
        assertThat(limited.events()).containsExactly(stored(hs, m.get(3)), stored(hs, m.get(4)));

        long depthOfThird = hs.homeserver()
                .testSeam()
                .event(new EventId(m.get(3)))
                .orElseThrow()
                .pdu()
                .depth();
        MissingEventsResponse deep = client.send(
                local(hs),
                EndpointCall.of(
                        FederationEndpoints.GET_MISSING_EVENTS,
                        new MissingEventsRequest(List.of(), List.of(m.get(5)), null, depthOfThird),
                        room));
        assertThat(deep.events()).containsExactly(stored(hs, m.get(3)), stored(hs, m.get(4)));
    }

    @Test
    void missingEventsAreCappedAtTwentyAndTenByDefault(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        remoteJoins(hs, room);
        String last = null;
        for (int i = 0; i < 25; i++) {
            last = alice.sendMessage(room, "m" + i);
        }
        FederationClient client = client(hs);

        assertThat(client.send(
                                local(hs),
                                EndpointCall.of(
                                        FederationEndpoints.GET_MISSING_EVENTS,
                                        new MissingEventsRequest(List.of(), List.of(last)),
                                        room))
                        .events())
                .hasSize(10);
        assertThat(client.send(
                                local(hs),
                                EndpointCall.of(
                                        FederationEndpoints.GET_MISSING_EVENTS,
                                        new MissingEventsRequest(List.of(), List.of(last), 50L, null),
                                        room))
                        .events())
                .hasSize(20);
    }

    @Test
    void badMissingEventsRequestsGetMatrixErrors(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        String other = publicRoom(alice);
        remoteJoins(hs, room);
        String message = alice.sendMessage(room, "hi");
        String uri = "/_matrix/federation/v1/get_missing_events/" + TestClient.encode(room);

        assertThat(signed(hs, "POST", uri, NODES.objectNode())
                        .expect(200)
                        .json()
                        .toString())
                .as("absent lists are empty, as Synapse reads them")
                .isEqualTo("{\"events\":[]}");
        ObjectNode nullId = NODES.objectNode();
        nullId.putArray("earliest_events");
        nullId.putArray("latest_events").addNull();
        expectError(signed(hs, "POST", uri, nullId), 400, "M_BAD_JSON");
        ObjectNode notList = NODES.objectNode().put("latest_events", message);
        notList.putArray("earliest_events");
        expectError(signed(hs, "POST", uri, notList), 400, "M_BAD_JSON");
        ObjectNode negative = NODES.objectNode().put("limit", -1);
        negative.putArray("earliest_events");
        negative.putArray("latest_events").add(message);
        expectError(signed(hs, "POST", uri, negative), 400, "M_INVALID_PARAM");
        ObjectNode badId = NODES.objectNode();
        badId.putArray("earliest_events");
        badId.putArray("latest_events").add("nope");
        expectError(signed(hs, "POST", uri, badId), 400, "M_INVALID_PARAM");
        ObjectNode good = NODES.objectNode();
        good.putArray("earliest_events");
        good.putArray("latest_events").add(message);
        expectError(
                signed(hs, "POST", "/_matrix/federation/v1/get_missing_events/" + TestClient.encode(other), good),
                403,
                "M_FORBIDDEN");
        FederationErrorException forbidden = (FederationErrorException) catchThrowable(() -> client(hs)
                .send(
                        local(hs),
                        EndpointCall.of(
                                FederationEndpoints.GET_MISSING_EVENTS,
                                new MissingEventsRequest(List.of(), List.of(message)),
                                other)));
        assertThat(forbidden.errcode()).isEqualTo("M_FORBIDDEN");
    }

    // ---- /timestamp_to_event -------------------------------------------------------------------

    @Test
    void timestampToEventFindsTheNearestEvent(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        remoteJoins(hs, room);
        hs.clock().advance(Duration.ofMinutes(1));
        String first = alice.sendMessage(room, "first");
        long firstTs = hs.time().nowMillis();
        hs.clock().advance(Duration.ofMinutes(10));
        String second = alice.sendMessage(room, "second");
        long secondTs = hs.time().nowMillis();
        FederationClient client = client(hs);

        TimestampToEventResponse forwards = client.send(
                local(hs),
                EndpointCall.of(FederationEndpoints.TIMESTAMP_TO_EVENT, room)
                        .query("ts", firstTs + 1)
                        .query("dir", "f"));
        assertThat(forwards).isEqualTo(new TimestampToEventResponse(second, secondTs));
        TimestampToEventResponse backwards = client.send(
                local(hs),
                EndpointCall.of(FederationEndpoints.TIMESTAMP_TO_EVENT, room)
                        .query("ts", secondTs - 1)
                        .query("dir", "b"));
        assertThat(backwards).isEqualTo(new TimestampToEventResponse(first, firstTs));

        String base = "/_matrix/federation/v1/timestamp_to_event/" + TestClient.encode(room);
        expectError(signedGet(hs, base + "?ts=" + (secondTs + 1) + "&dir=f"), 404, "M_NOT_FOUND");
        expectError(signedGet(hs, base + "?dir=f"), 400, "M_MISSING_PARAM");
        expectError(signedGet(hs, base + "?ts=" + firstTs), 400, "M_MISSING_PARAM");
        expectError(signedGet(hs, base + "?ts=soon&dir=f"), 400, "M_INVALID_PARAM");
        expectError(signedGet(hs, base + "?ts=" + firstTs + "&dir=sideways"), 400, "M_INVALID_PARAM");
        String other = publicRoom(alice);
        expectError(
                signedGet(hs, "/_matrix/federation/v1/timestamp_to_event/" + TestClient.encode(other) + "?ts=0&dir=f"),
                403,
                "M_FORBIDDEN");
    }

    @Test
    void theClientSeesAnUnknownEventAsNotFound(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String room = publicRoom(alice);
        remoteJoins(hs, room);

        assertThatThrownBy(() -> client(hs)
                        .send(local(hs), EndpointCall.of(FederationEndpoints.EVENT, "$missing:" + hs.serverName())))
                .isInstanceOfSatisfying(
                        FederationErrorException.class,
                        e -> assertThat(e.errcode()).isEqualTo("M_NOT_FOUND"));
    }
}
