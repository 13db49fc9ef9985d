package dev.myelin.server.api.keys;

import static dev.myelin.server.api.keys.E2eeFixtures.KEYS;
import static dev.myelin.server.api.keys.E2eeFixtures.NODES;
import static dev.myelin.server.api.keys.E2eeFixtures.deviceKeys;
import static dev.myelin.server.api.keys.E2eeFixtures.newKey;
import static dev.myelin.server.api.keys.E2eeFixtures.queryBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.server.api.keys.CrossSigningApiTest.CrossSigningKeys;
import dev.myelin.testing.SyncResponse;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestFederation;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Device lists across servers: a server caches the device lists of the other servers' users sharing a
 * room with its users, fetched once through {@code /user/devices} and kept up to date by
 * {@code m.device_list_update} and {@code m.signing_key_update} EDUs; its clients learn of the changes
 * in {@code /sync} and {@code /keys/changes}. An update that follows one never received makes it fetch
 * the whole list again; updates about another server's users, and malformed ones, are dropped.
 */
class FederatedDeviceListsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String USER_DEVICES = "/_matrix/federation/v1/user/devices/";
    private static final String USER_KEYS_QUERY = "/_matrix/federation/v1/user/keys/query";

    private TestFederation federation;
    private TestClient alice;
    private TestClient bob;
    private String room;

    @BeforeEach
    void start() {
        federation = TestFederation.start("a.test", "b.test", "c.test");
        alice = federation.server("a.test").registerUser("alice", "pw");
        bob = federation.server("b.test").registerUser("bob");
        room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        alice.awaitEvent(
                room,
                e -> e.type().equals("m.room.member")
                        && e.stateKey().filter(bob.userId()::equals).isPresent());
    }

    @AfterEach
    void stop() {
        federation.close();
    }

    @Test
    void deviceChangesOnOneServerReachTheOthersQueriesSyncAndKeyChanges() {
        String from = bob.sync().nextBatch();
        JsonNode first = query(bob, alice);
        assertThat(first.path("device_keys").path(alice.userId()).isObject()).isTrue();
        assertThat(requests("b.test", "a.test", USER_DEVICES)).isEqualTo(1);

        ObjectNode uploaded = uploadDeviceKeys(alice);
        awaitQuery(
                bob,
                alice,
                r -> r.path("device_keys")
                        .path(alice.userId())
                        .path(alice.deviceId())
                        .equals(uploaded));
        awaitChanged(bob, alice.userId());
        // the update was applied to the cache: the list was neither fetched again nor asked for
        assertThat(requests("b.test", "a.test", USER_DEVICES)).isEqualTo(1);
        assertThat(requests("b.test", "a.test", USER_KEYS_QUERY)).isZero();
        JsonNode changes = bob.get(KEYS + "/changes?from=" + TestClient.encode(from) + "&to="
                        + TestClient.encode(bob.sync().nextBatch()))
                .expect(200)
                .json();
        assertThat(changes.path("changed").toString()).contains(alice.userId());

        TestClient laptop = federation.server("a.test").login("alice", "pw");
        uploadDeviceKeys(laptop);
        awaitQuery(bob, alice, r -> deviceIds(r).size() == 2);
        assertThat(deviceIds(query(bob, alice))).containsExactlyInAnyOrder(alice.deviceId(), laptop.deviceId());

        laptop.post("/_matrix/client/v3/logout", NODES.objectNode()).expect(200);
        awaitQuery(bob, alice, r -> deviceIds(r).size() == 1);
        assertThat(deviceIds(query(bob, alice))).containsExactly(alice.deviceId());

        CrossSigningKeys crossSigning = CrossSigningKeys.create(alice);
        alice.post(KEYS + "/device_signing/upload", crossSigning.body()).expect(200);
        JsonNode withCrossSigning =
                awaitQuery(bob, alice, r -> r.path("self_signing_keys").has(alice.userId()));
        assertThat(withCrossSigning.path("master_keys").path(alice.userId()))
                .isEqualTo(crossSigning.body().get("master_key"));
        assertThat(withCrossSigning.path("self_signing_keys").path(alice.userId()))
                .isEqualTo(crossSigning.body().get("self_signing_key"));
        assertThat(requests("b.test", "a.test", USER_DEVICES)).isEqualTo(1);

        alice.leave(room).expect(200);
        bob.awaitSync(
                sync -> sync.json().path("device_lists").path("left").toString().contains(alice.userId()), WAIT);
        // no room is shared any more: the cache is dropped and her server is asked
        query(bob, alice);
        assertThat(requests("b.test", "a.test", USER_KEYS_QUERY)).isEqualTo(1);
    }

    @Test
    void anUpdateFollowingAMissedOneMakesTheServerFetchTheWholeList() {
        query(bob, alice);
        uploadDeviceKeys(alice);
        awaitQuery(bob, alice, r -> deviceIds(r).size() == 1);
        assertThat(requests("b.test", "a.test", USER_DEVICES)).isEqualTo(1);

        // a's own update about alice, naming a previous one b never received
        federation
                .server("a.test")
                .homeserver()
                .testSeam()
                .sendEdu(ServerName.parse("b.test"), update(alice.userId(), "GHOST", 1_000_000, 999_999));
        awaitCondition(() -> requests("b.test", "a.test", USER_DEVICES) == 2);
        // the list b holds is the one a served, without the device the update named
        assertThat(deviceIds(query(bob, alice))).containsExactly(alice.deviceId());
    }

    @Test
    void aServerKickedFromTheSharedRoomFetchesTheListAgainWhenBack() {
        query(bob, alice);
        assertThat(requests("b.test", "a.test", USER_DEVICES)).isEqualTo(1);
        String beforeTheKick = bob.sync().nextBatch();
        alice.post(
                        "/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/kick",
                        NODES.objectNode().put("user_id", bob.userId()))
                .expect(200);
        bob.awaitSync(sync -> sync.leftRooms().contains(room), WAIT);

        // no room is shared: b is not told of this
        ObjectNode uploaded = uploadDeviceKeys(alice);
        alice.invite(room, bob.userId()).expect(200);
        bob.join(room).expect(200);

        // a sync spanning the kick and the rejoin reports alice's list as changed, unheard as it was
        assertThat(bob.sync(beforeTheKick, java.util.Map.of("timeout", "0"))
                        .path("device_lists")
                        .path("changed")
                        .toString())
                .contains(alice.userId());
        JsonNode afterRejoin = query(bob, alice);
        assertThat(afterRejoin.path("device_keys").path(alice.userId()).path(alice.deviceId()))
                .isEqualTo(uploaded);
        assertThat(requests("b.test", "a.test", USER_DEVICES)).isEqualTo(2);
    }

    @Test
    void updatesAboutAnotherServersUserAndMalformedUpdatesAreDropped() {
        TestClient carol = federation.server("c.test").registerUser("carol");
        carol.join(room).expect(200);
        bob.awaitEvent(
                room,
                e -> e.type().equals("m.room.member")
                        && e.stateKey().filter(carol.userId()::equals).isPresent());
        query(bob, carol);
        query(bob, alice);
        uploadDeviceKeys(carol);
        awaitQuery(bob, carol, r -> deviceIds(r).size() == 1);
        assertThat(requests("b.test", "c.test", USER_DEVICES)).isEqualTo(1);

        ObjectNode notNumber = update(alice.userId(), "BAD1", 5, 4);
        notNumber.with("content").put("stream_id", "five");
        ObjectNode keysNotObject = update(alice.userId(), "BAD2", 6, 5);
        keysNotObject.with("content").putArray("keys");
        ObjectNode prevNotList = update(alice.userId(), "BAD3", 7, 6);
        prevNotList.with("content").put("prev_id", "6");
        ObjectNode noUser = update(alice.userId(), "BAD4", 8, 7);
        noUser.with("content").put("user_id", 12);
        ObjectNode signingNotOwn = NODES.objectNode().put("edu_type", "m.signing_key_update");
        signingNotOwn
                .putObject("content")
                .put("user_id", carol.userId())
                .putObject("master_key")
                .put("user_id", carol.userId());
        var seam = federation.server("a.test").homeserver().testSeam();
        ServerName b = ServerName.parse("b.test");
        // a speaks for its own users only: carol is c's
        seam.sendEdu(b, update(carol.userId(), "GHOST", 1, 0));
        seam.sendEdu(b, signingNotOwn);
        for (ObjectNode malformed : new ObjectNode[] {notNumber, keysNotObject, prevNotList, noUser}) {
            seam.sendEdu(b, malformed);
        }
        // a real change after them still arrives: the transaction with the bad ones was accepted
        uploadDeviceKeys(alice);
        awaitQuery(bob, alice, r -> deviceIds(r).size() == 1);

        assertThat(deviceIds(query(bob, carol))).containsExactly(carol.deviceId());
        assertThat(query(bob, carol).path("master_keys").has(carol.userId())).isFalse();
        assertThat(deviceIds(query(bob, alice))).containsExactly(alice.deviceId());
        assertThat(requests("b.test", "c.test", USER_DEVICES)).isEqualTo(1);
    }

    private static ObjectNode update(String user, String device, long streamId, long prevId) {
        ObjectNode edu = NODES.objectNode().put("edu_type", "m.device_list_update");
        ObjectNode content = edu.putObject("content")
                .put("user_id", user)
                .put("device_id", device)
                .put("stream_id", streamId);
        content.putArray("prev_id").add(prevId);
        content.putObject("keys")
                .put("user_id", user)
                .put("device_id", device)
                .putArray("algorithms")
                .add("m.olm.v1.curve25519-aes-sha2");
        return edu;
    }

    private static ObjectNode uploadDeviceKeys(TestClient client) {
        ObjectNode keys = deviceKeys(client, newKey());
        ObjectNode upload = NODES.objectNode();
        upload.set("device_keys", keys);
        client.post(KEYS + "/upload", upload).expect(200);
        return keys;
    }

    private static JsonNode query(TestClient asker, TestClient owner) {
        return asker.post(KEYS + "/query", queryBody(owner.userId()))
                .expect(200)
                .json();
    }

    private static java.util.List<String> deviceIds(JsonNode result) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        result.path("device_keys")
                .properties()
                .forEach(user -> user.getValue().fieldNames().forEachRemaining(ids::add));
        return ids;
    }

    private static JsonNode awaitQuery(TestClient asker, TestClient owner, Predicate<JsonNode> condition) {
        JsonNode[] last = new JsonNode[1];
        awaitCondition(() -> condition.test(last[0] = query(asker, owner)));
        return last[0];
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met in time").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void awaitChanged(TestClient client, String user) {
        Predicate<SyncResponse> changed = sync ->
                sync.json().path("device_lists").path("changed").toString().contains(user);
        client.awaitSync(changed, WAIT);
    }

    private long requests(String from, String to, String pathPrefix) {
        return federation.link(from, to).delivered().stream()
                .filter(r -> r.uri().getPath().startsWith(pathPrefix))
                .count();
    }
}
