package dev.myelin.server.api.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.event.Redaction;
import dev.myelin.core.id.EventId;
import dev.myelin.core.id.RoomId;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.federation.api.EventAuthResponse;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.MissingEventsRequest;
import dev.myelin.federation.api.MissingEventsResponse;
import dev.myelin.federation.api.PduTransaction;
import dev.myelin.federation.api.RoomStateIdsResponse;
import dev.myelin.federation.api.RoomStateResponse;
import dev.myelin.federation.api.TimestampToEventResponse;
import dev.myelin.federation.auth.RequestSigner;
import dev.myelin.federation.client.FederationClient;
import dev.myelin.federation.client.FederationErrorException;
import dev.myelin.federation.discovery.DiscoveryStep;
import dev.myelin.federation.discovery.ResolvedDestination;
import dev.myelin.federation.keys.ServerKeys;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.TestSeam;
import dev.myelin.server.handler.room.EventRequest;
import dev.myelin.storage.event.StoredEvent;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The endpoints through which another server reads a room from this one: {@code /event},
 * {@code /state}, {@code /state_ids}, {@code /event_auth}, {@code /backfill},
 * {@code /get_missing_events} and {@code /timestamp_to_event}, called with the typed federation
 * client for the good paths and with hand-signed requests for the bad ones. The remote server is
 * "in the room" through a join of its user made with the test seam.
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "trusted_key_servers", value = "[]")
// many requests from one server in one instant of the fake clock: none may wait for it to move
@OverrideConfig(key = "rc_federation", value = "{sleep_limit: 1000, reject_limit: 1000}")
class FederationRoomReadsApiTest {
    static final ServerName REMOTE = ServerName.parse("127.0.0.1:1");
    static final SigningKey REMOTE_KEY = SigningKey.generate("r1");
    static final UserId BOB = UserId.parse("@bob:127.0.0.1:1");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static void trustRemote(TestHomeserver hs) {
        long now = hs.time().nowMillis();
        ServerKeys keys = new ServerKeys(
                REMOTE,
                Map.of(REMOTE_KEY.keyId(), REMOTE_KEY.verifyKey()),
                Map.of(),
                now + Duration.ofDays(1).toMillis());
        hs.homeserver().testSeam().rememberServerKeys(JsonSigning.sign(keys.toJson(), REMOTE, REMOTE_KEY), now);
    }

    /** A request from the remote server, signed by it. */
    static TestResponse signed(TestHomeserver hs, String method, String uri, ObjectNode body) {
        String header = new RequestSigner(REMOTE, REMOTE_KEY)
                .sign(method, uri, ServerName.parse(hs.serverName()), Optional.ofNullable(body))
                .format();
        return hs.request(method, uri, body, List.of(Map.entry("Authorization", header)));
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

    private static void expectError(TestResponse response, int status, String errcode) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errcode()).isEqualTo(errcode);
    }

    private static ServerName local(TestHomeserver hs) {
        return ServerName.parse(hs.serverName());
    }

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
