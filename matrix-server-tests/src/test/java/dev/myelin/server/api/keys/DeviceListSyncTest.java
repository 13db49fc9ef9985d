package dev.myelin.server.api.keys;

import static dev.myelin.server.api.keys.E2eeFixtures.KEYS;
import static dev.myelin.server.api.keys.E2eeFixtures.NODES;
import static dev.myelin.server.api.keys.E2eeFixtures.assertError;
import static dev.myelin.server.api.keys.E2eeFixtures.json;
import static dev.myelin.server.api.keys.E2eeFixtures.uploadDeviceKeys;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class DeviceListSyncTest {

    @Test
    void keyUploadsAndNewDevicesAreChangedForUsersSharingARoomOnly(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice", "pw");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        String bobSince = bob.sync(null, Map.of()).get("next_batch").asText();
        String carolSince = carol.sync(null, Map.of()).get("next_batch").asText();

        uploadDeviceKeys(alice);
        JsonNode bobSync = bob.sync(bobSince, Map.of());
        assertThat(bobSync.get("device_lists")).isEqualTo(json("{\"changed\":[\"@alice:test.local\"],\"left\":[]}"));
        assertThat(carol.sync(carolSince, Map.of()).get("device_lists"))
                .as("carol shares no room with alice")
                .isEqualTo(json("{\"changed\":[],\"left\":[]}"));
        assertThat(alice.sync(bobSince, Map.of()).at("/device_lists/changed"))
                .as("own changes are reported too")
                .isEqualTo(json("[\"@alice:test.local\"]"));

        String next = bobSync.get("next_batch").asText();
        assertThat(bob.sync(next, Map.of()).get("device_lists")).isEqualTo(json("{\"changed\":[],\"left\":[]}"));
        hs.login("alice", "pw");
        assertThat(bob.sync(next, Map.of()).at("/device_lists/changed")).isEqualTo(json("[\"@alice:test.local\"]"));

        String now = bob.sync(null, Map.of()).get("next_batch").asText();
        assertThat(bob.get(KEYS + "/changes?from=" + TestClient.encode(bobSince) + "&to=" + TestClient.encode(now))
                        .expect(200)
                        .json())
                .isEqualTo(json("{\"changed\":[\"@alice:test.local\"],\"left\":[]}"));
        assertThat(bob.get(KEYS + "/changes?from=" + TestClient.encode(now) + "&to=" + TestClient.encode(now))
                        .expect(200)
                        .json())
                .isEqualTo(json("{\"changed\":[],\"left\":[]}"));
        assertError(bob.get(KEYS + "/changes?from=" + TestClient.encode(now)), 400, "M_MISSING_PARAM");
        assertError(bob.get(KEYS + "/changes?from=nope&to=" + TestClient.encode(now)), 400, "M_INVALID_PARAM");
    }

    @Test
    void renamingADeviceIsAChangeForRoomMates(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        String since = bob.sync(null, Map.of()).get("next_batch").asText();

        alice.put(
                        "/_matrix/client/v3/devices/" + alice.deviceId(),
                        NODES.objectNode().put("display_name", "wibble"))
                .expect(200);
        assertThat(bob.sync(since, Map.of()).get("device_lists"))
                .isEqualTo(json("{\"changed\":[\"@alice:test.local\"],\"left\":[]}"));

        String next = bob.sync(null, Map.of()).get("next_batch").asText();
        alice.put("/_matrix/client/v3/devices/" + alice.deviceId(), NODES.objectNode())
                .expect(200);
        assertThat(bob.sync(next, Map.of()).get("device_lists"))
                .as("a request that renames nothing changes nothing")
                .isEqualTo(json("{\"changed\":[],\"left\":[]}"));
        assertError(
                alice.put(
                        "/_matrix/client/v3/devices/NOSUCHDEVICE",
                        NODES.objectNode().put("display_name", "x")),
                404,
                "M_NOT_FOUND");
    }

    @Test
    void invitedUsersAreChanged(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient dave = hs.registerUser("dave");
        String room = alice.createRoom(NODES.objectNode().put("preset", "private_chat"));
        String since = alice.sync(null, Map.of()).get("next_batch").asText();

        alice.invite(room, dave.userId()).expect(200);

        assertThat(alice.sync(since, Map.of()).get("device_lists"))
                .as("an invited user may read what is encrypted next: their keys are wanted")
                .isEqualTo(json("{\"changed\":[\"@dave:test.local\"],\"left\":[]}"));
    }

    @Test
    void usersWhoJoinAreChangedAndUsersWhoLeaveEveryRoomAreLeft(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String other = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        String since = bob.sync(null, Map.of()).get("next_batch").asText();

        carol.join(room).expect(200);
        JsonNode joined = bob.sync(since, Map.of());
        assertThat(joined.get("device_lists")).isEqualTo(json("{\"changed\":[\"@carol:test.local\"],\"left\":[]}"));
        String afterJoin = joined.get("next_batch").asText();

        carol.join(other).expect(200);
        carol.post("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/leave", NODES.objectNode())
                .expect(200);
        JsonNode left = bob.sync(afterJoin, Map.of());
        assertThat(left.get("device_lists")).isEqualTo(json("{\"changed\":[],\"left\":[\"@carol:test.local\"]}"));
        assertThat(alice.sync(afterJoin, Map.of()).get("device_lists"))
                .as("alice still shares a room with carol")
                .isEqualTo(json("{\"changed\":[],\"left\":[]}"));

        // bob leaving: everyone he no longer shares a room with is left to him
        String beforeBobLeaves = left.get("next_batch").asText();
        bob.post("/_matrix/client/v3/rooms/" + TestClient.encode(room) + "/leave", NODES.objectNode())
                .expect(200);
        assertThat(bob.sync(beforeBobLeaves, Map.of()).get("device_lists"))
                .isEqualTo(json("{\"changed\":[],\"left\":[\"@alice:test.local\"]}"));
        // and joining a room makes its members changed to the joiner
        String beforeBobJoins = bob.sync(null, Map.of()).get("next_batch").asText();
        bob.join(other).expect(200);
        assertThat(bob.sync(beforeBobJoins, Map.of()).get("device_lists"))
                .isEqualTo(json("{\"changed\":[\"@alice:test.local\",\"@carol:test.local\"],\"left\":[]}"));
        assertThat(bob.get(KEYS + "/changes?from=" + TestClient.encode(since) + "&to="
                                + TestClient.encode(bob.sync(null, Map.of())
                                        .get("next_batch")
                                        .asText()))
                        .expect(200)
                        .json())
                .as("over the whole range only carol is new to bob")
                .isEqualTo(json("{\"changed\":[\"@carol:test.local\"],\"left\":[]}"));
    }

    @Test
    void aKeyUploadWakesTheLongPollingSyncsOfRoomMates(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        String since = bob.sync(null, Map.of()).get("next_batch").asText();
        int before = hs.clock().pendingSleepers();
        CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(
                () -> bob.get("/_matrix/client/v3/sync?timeout=600000&since=" + TestClient.encode(since))
                        .expect(200)
                        .json(),
                r -> Thread.ofVirtual().start(r));
        // the sync sleeps on the server's clock once it has found nothing to send and waits
        assertThat(hs.clock().awaitSleepers(before + 1, Duration.ofSeconds(10))).isTrue();
        uploadDeviceKeys(alice);
        assertThat(waiting.get(10, TimeUnit.SECONDS).at("/device_lists/changed"))
                .isEqualTo(json("[\"@alice:test.local\"]"));
    }

    @Test
    void everySyncCarriesTheDevicesKeyCounts(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String since = alice.sync(null, Map.of()).get("next_batch").asText();
        uploadDeviceKeys(alice);
        alice.post(
                        KEYS + "/upload",
                        json("{\"one_time_keys\":{\"curve25519:A\":\"a\",\"curve25519:B\":\"b\"},"
                                + "\"fallback_keys\":{\"curve25519:F\":\"f\"}}"))
                .expect(200);
        JsonNode sync = alice.sync(since, Map.of());
        assertThat(sync.get("device_one_time_keys_count"))
                .isEqualTo(json("{\"signed_curve25519\":0,\"curve25519\":2}"));
        assertThat(sync.get("device_unused_fallback_key_types")).isEqualTo(json("[\"curve25519\"]"));
        JsonNode initial = alice.sync(null, Map.of());
        assertThat(initial.get("device_one_time_keys_count")).isEqualTo(sync.get("device_one_time_keys_count"));
        assertThat(initial.get("device_lists")).isEqualTo(json("{\"changed\":[],\"left\":[]}"));
    }
}
