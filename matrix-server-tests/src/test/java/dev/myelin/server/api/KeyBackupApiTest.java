package dev.myelin.server.api;

import static dev.myelin.server.api.ProfileApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class KeyBackupApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION = "/_matrix/client/v3/room_keys/version";
    private static final String KEYS = "/_matrix/client/v3/room_keys/keys";
    private static final String ALGORITHM = "m.megolm_backup.v1.curve25519-aes-sha2";
    private static final String ROOM = "!room:test.local";
    private static final String OTHER_ROOM = "!other:test.local";

    @Test
    void aBackupVersionIsCreatedReadUpdatedAndDeleted(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        assertError(alice.get(VERSION), 404, "M_NOT_FOUND");

        assertThat(alice.post(VERSION, version("key1")).expect(200).json())
                .isEqualTo(JSON.readTree("{\"version\":\"1\"}"));
        JsonNode expected = JSON.readTree("""
                {"algorithm": "m.megolm_backup.v1.curve25519-aes-sha2", "auth_data": {"public_key": "key1"},
                 "count": 0, "etag": "0", "version": "1"}""");
        assertThat(alice.get(VERSION).expect(200).json()).isEqualTo(expected);
        assertThat(alice.get(VERSION + "/1").expect(200).json()).isEqualTo(expected);
        assertError(bob.get(VERSION), 404, "M_NOT_FOUND");
        assertError(bob.get(VERSION + "/1"), 404, "M_NOT_FOUND");

        alice.put(VERSION + "/1", version("key1b").put("version", "1")).expect(200);
        assertThat(alice.get(VERSION + "/1").json().at("/auth_data/public_key").asText())
                .isEqualTo("key1b");
        assertError(alice.put(VERSION + "/1", version("k").put("version", "2")), 400, "M_INVALID_PARAM");
        assertError(alice.put(VERSION + "/1", version("k").put("algorithm", "m.other")), 400, "M_INVALID_PARAM");
        assertError(alice.put(VERSION + "/9", version("k")), 404, "M_NOT_FOUND");
        assertError(alice.put(VERSION + "/abc", version("k")), 404, "M_NOT_FOUND");

        assertThat(alice.post(VERSION, version("key2")).json().get("version").asText())
                .isEqualTo("2");
        assertThat(alice.get(VERSION).json().get("version").asText()).isEqualTo("2");
        assertThat(alice.get(VERSION + "/1").json().get("version").asText())
                .as("older versions stay readable")
                .isEqualTo("1");

        alice.request("DELETE", VERSION + "/2", null).expect(200);
        assertThat(alice.get(VERSION).json().get("version").asText()).isEqualTo("1");
        assertError(alice.get(VERSION + "/2"), 404, "M_NOT_FOUND");
        alice.request("DELETE", VERSION + "/2", null).expect(200);
        assertError(alice.request("DELETE", VERSION + "/7", null), 404, "M_NOT_FOUND");
        assertError(bob.request("DELETE", VERSION + "/1", null), 404, "M_NOT_FOUND");
        assertThat(alice.post(VERSION, version("key3")).json().get("version").asText())
                .as("a deleted version's number is not reused")
                .isEqualTo("3");
    }

    @Test
    void keysAreStoredReadAndDeletedAtEachLevel(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        alice.post(VERSION, version("k")).expect(200);

        assertThat(alice.put(session(ROOM, "s1") + "?version=1", key(false, 0, 0, "a"))
                        .expect(200)
                        .json())
                .isEqualTo(JSON.readTree("{\"etag\": \"1\", \"count\": 1}"));
        ObjectNode roomBody = NODES.objectNode();
        roomBody.putObject("sessions").set("s2", key(true, 3, 1, "b"));
        assertThat(alice.put(room(ROOM) + "?version=1", roomBody).expect(200).json())
                .isEqualTo(JSON.readTree("{\"etag\": \"2\", \"count\": 2}"));
        ObjectNode allBody = NODES.objectNode();
        allBody.putObject("rooms").putObject(OTHER_ROOM).putObject("sessions").set("s3", key(false, 1, 2, "c"));
        assertThat(alice.put(KEYS + "?version=1", allBody).expect(200).json())
                .isEqualTo(JSON.readTree("{\"etag\": \"3\", \"count\": 3}"));

        assertThat(alice.get(KEYS + "?version=1").expect(200).json()).isEqualTo(JSON.readTree("""
                {"rooms": {
                  "!other:test.local": {"sessions": {"s3": {"first_message_index": 1, "forwarded_count": 2,
                      "is_verified": false, "session_data": {"ciphertext": "c"}}}},
                  "!room:test.local": {"sessions": {
                    "s1": {"first_message_index": 0, "forwarded_count": 0, "is_verified": false,
                           "session_data": {"ciphertext": "a"}},
                    "s2": {"first_message_index": 3, "forwarded_count": 1, "is_verified": true,
                           "session_data": {"ciphertext": "b"}}}}}}"""));
        assertThat(alice.get(room(ROOM) + "?version=1").json().get("sessions").properties())
                .extracting(java.util.Map.Entry::getKey)
                .containsExactly("s1", "s2");
        assertThat(alice.get(session(ROOM, "s2") + "?version=1").expect(200).json())
                .isEqualTo(key(true, 3, 1, "b"));
        assertError(alice.get(session(ROOM, "nope") + "?version=1"), 404, "M_NOT_FOUND");
        assertThat(alice.get(room("!empty:test.local") + "?version=1")
                        .expect(200)
                        .json())
                .isEqualTo(JSON.readTree("{\"sessions\": {}}"));
        assertThat(alice.get(VERSION).json().get("count").asInt()).isEqualTo(3);

        assertThat(alice.request("DELETE", session(ROOM, "s1") + "?version=1", null)
                        .expect(200)
                        .json())
                .isEqualTo(JSON.readTree("{\"etag\": \"4\", \"count\": 2}"));
        assertThat(alice.request("DELETE", room(ROOM) + "?version=1", null)
                        .expect(200)
                        .json())
                .isEqualTo(JSON.readTree("{\"etag\": \"5\", \"count\": 1}"));
        assertThat(alice.request("DELETE", room(ROOM) + "?version=1", null)
                        .expect(200)
                        .json())
                .as("deleting nothing leaves the etag")
                .isEqualTo(JSON.readTree("{\"etag\": \"5\", \"count\": 1}"));
        assertThat(alice.request("DELETE", KEYS + "?version=1", null)
                        .expect(200)
                        .json())
                .isEqualTo(JSON.readTree("{\"etag\": \"6\", \"count\": 0}"));
        assertThat(alice.get(KEYS + "?version=1").json()).isEqualTo(JSON.readTree("{\"rooms\": {}}"));
    }

    @Test
    void aStoredKeyIsReplacedOnlyByABetterOne(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        alice.post(VERSION, version("k")).expect(200);
        String path = session(ROOM, "s") + "?version=1";
        alice.put(path, key(false, 5, 1, "stored")).expect(200);

        assertKept(alice, path, key(false, 6, 0, "later index"), "stored");
        assertKept(alice, path, key(false, 5, 2, "forwarded more"), "stored");
        assertKept(alice, path, key(false, 5, 1, "equal"), "stored");
        assertReplaced(alice, path, key(false, 5, 0, "forwarded less"));
        assertReplaced(alice, path, key(false, 2, 9, "earlier index"));
        assertReplaced(alice, path, key(true, 9, 9, "verified"));
        assertKept(alice, path, key(false, 0, 0, "unverified"), "verified");
        assertKept(alice, path, key(true, 10, 0, "verified, later index"), "verified");
        assertReplaced(alice, path, key(true, 8, 9, "verified, earlier index"));
    }

    @Test
    void keysGoOnlyToTheNewestVersion(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        assertError(alice.put(session(ROOM, "s") + "?version=1", key(false, 0, 0, "x")), 404, "M_NOT_FOUND");
        alice.post(VERSION, version("k1")).expect(200);
        alice.put(session(ROOM, "s") + "?version=1", key(false, 0, 0, "x")).expect(200);
        alice.post(VERSION, version("k2")).expect(200);

        for (String path : new String[] {session(ROOM, "s"), room(ROOM), KEYS}) {
            TestResponse old = alice.put(path + "?version=1", uploadFor(path));
            assertError(old, 403, "M_WRONG_ROOM_KEYS_VERSION");
            assertThat(old.json().get("current_version").asText()).isEqualTo("2");
            assertError(alice.put(path + "?version=3", uploadFor(path)), 403, "M_WRONG_ROOM_KEYS_VERSION");
            assertError(alice.put(path + "?version=abc", uploadFor(path)), 403, "M_WRONG_ROOM_KEYS_VERSION");
            assertError(alice.put(path, uploadFor(path)), 400, "M_MISSING_PARAM");
            assertError(alice.get(path), 400, "M_MISSING_PARAM");
            assertError(alice.request("DELETE", path, null), 400, "M_MISSING_PARAM");
            assertError(alice.get(path + "?version=9"), 404, "M_NOT_FOUND");
            assertError(alice.request("DELETE", path + "?version=9", null), 404, "M_NOT_FOUND");
        }
        assertThat(alice.get(session(ROOM, "s") + "?version=1")
                        .expect(200)
                        .json()
                        .at("/session_data/ciphertext")
                        .asText())
                .as("an older version's keys stay readable")
                .isEqualTo("x");

        alice.request("DELETE", VERSION + "/1", null).expect(200);
        assertError(alice.get(KEYS + "?version=1"), 404, "M_NOT_FOUND");
        alice.request("DELETE", VERSION + "/2", null).expect(200);
        alice.post(VERSION, version("k3")).expect(200);
        assertThat(alice.get(KEYS + "?version=3").json())
                .as("keys of deleted versions are gone")
                .isEqualTo(NODES.objectNode().set("rooms", NODES.objectNode()));
        TestResponse deleted = alice.put(session(ROOM, "s") + "?version=2", key(false, 0, 0, "x"));
        assertError(deleted, 403, "M_WRONG_ROOM_KEYS_VERSION");
        assertThat(deleted.json().get("current_version").asText()).isEqualTo("3");
    }

    @Test
    void anyAlgorithmNameIsKeptForTheClientsThatShareTheBackup(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String version = alice.post(VERSION, version("k").put("algorithm", "m.megolm_backup.v1"))
                .expect(200)
                .json()
                .get("version")
                .asText();
        assertThat(alice.get(VERSION + "/" + version)
                        .expect(200)
                        .json()
                        .get("algorithm")
                        .asText())
                .isEqualTo("m.megolm_backup.v1");
        alice.put(VERSION + "/" + version, version("k2").put("algorithm", "m.megolm_backup.v1"))
                .expect(200);
        assertError(alice.put(VERSION + "/" + version, version("k3")), 400, "M_INVALID_PARAM");
    }

    @Test
    void badBodiesAreRejected(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        assertError(alice.post(VERSION, "{"), 400, "M_NOT_JSON");
        assertError(alice.post(VERSION, NODES.objectNode().putObject("auth_data")), 400, "M_MISSING_PARAM");
        assertError(alice.post(VERSION, version("k").put("algorithm", 5)), 400, "M_BAD_JSON");
        assertError(alice.post(VERSION, version("k").put("algorithm", "")), 400, "M_INVALID_PARAM");
        assertError(alice.post(VERSION, version("k").put("algorithm", "m.a\u0000b")), 400, "M_INVALID_PARAM");
        assertError(alice.post(VERSION, version("k").put("algorithm", "m." + "a".repeat(300))), 400, "M_INVALID_PARAM");
        assertError(alice.post(VERSION, NODES.objectNode().put("algorithm", ALGORITHM)), 400, "M_MISSING_PARAM");
        assertError(
                alice.post(
                        VERSION, NODES.objectNode().put("algorithm", ALGORITHM).put("auth_data", "x")),
                400,
                "M_BAD_JSON");
        assertError(alice.get(VERSION), 404, "M_NOT_FOUND");
        alice.post(VERSION, version("k")).expect(200);
        assertError(alice.put(VERSION + "/1", version("k").put("version", 1)), 400, "M_BAD_JSON");

        String path = session(ROOM, "s") + "?version=1";
        ObjectNode missing = key(false, 0, 0, "x");
        missing.remove("forwarded_count");
        assertError(alice.put(path, missing), 400, "M_MISSING_PARAM");
        assertError(alice.put(path, key(false, 0, 0, "x").put("is_verified", "yes")), 400, "M_BAD_JSON");
        assertError(alice.put(path, key(false, 0, 0, "x").put("first_message_index", -1)), 400, "M_INVALID_PARAM");
        assertError(alice.put(path, key(false, 0, 0, "x").put("first_message_index", 1.5)), 400, "M_BAD_JSON");
        assertError(alice.put(path, key(false, 0, 0, "x").putNull("session_data")), 400, "M_MISSING_PARAM");
        ObjectNode nulRoom = NODES.objectNode();
        nulRoom.putObject("rooms").putObject("!a\u0000b").putObject("sessions").set("s", key(false, 0, 0, "x"));
        assertError(alice.put(KEYS + "?version=1", nulRoom), 400, "M_INVALID_PARAM");
        assertError(
                alice.put(session("!" + "a".repeat(300), "s") + "?version=1", key(false, 0, 0, "x")),
                400,
                "M_INVALID_PARAM");
        assertError(alice.put(room(ROOM) + "?version=1", NODES.objectNode()), 400, "M_MISSING_PARAM");
        assertError(alice.put(KEYS + "?version=1", NODES.objectNode().put("rooms", 1)), 400, "M_BAD_JSON");
        ObjectNode badRoom = NODES.objectNode();
        badRoom.putObject("rooms").putObject("").putObject("sessions");
        assertError(alice.put(KEYS + "?version=1", badRoom), 400, "M_INVALID_PARAM");

        // one bad key in an upload stores none of it
        ObjectNode partlyBad = NODES.objectNode();
        ObjectNode sessions = partlyBad.putObject("rooms").putObject(ROOM).putObject("sessions");
        sessions.set("good", key(false, 0, 0, "x"));
        sessions.set("bad", key(false, 0, 0, "x").put("forwarded_count", "many"));
        assertError(alice.put(KEYS + "?version=1", partlyBad), 400, "M_BAD_JSON");
        assertThat(alice.get(VERSION).json().get("count").asInt()).isZero();
        assertError(hs.anonymous().get(VERSION), 401, "M_MISSING_TOKEN");
    }

    @Test
    void roomIdsAndSessionDataAreTheClientsOwnLabelsAndPayload(TestHomeserver hs) {
        // Room ids in a backup are never looked up, and another algorithm's session data need not be
        // an object: both are kept as sent, as Synapse keeps them.
        TestClient alice = hs.registerUser("alice");
        alice.post(VERSION, version("k").put("algorithm", "m.megolm_backup.v1")).expect(200);
        assertError(alice.get(session("!notaroom", "nosession") + "?version=1"), 404, "M_NOT_FOUND");
        ObjectNode opaque = key(false, 0, 0, "x").put("session_data", "anopaquestring");
        alice.put(session("!abcd", "1234") + "?version=1", opaque).expect(200);
        assertThat(alice.get(session("!abcd", "1234") + "?version=1")
                        .expect(200)
                        .json())
                .isEqualTo(opaque);
        assertThat(alice.get(KEYS + "?version=1").expect(200).json().at("/rooms/!abcd/sessions/1234"))
                .isEqualTo(opaque);
        alice.request("DELETE", room("!abcd") + "?version=1", null).expect(200);
        assertThat(alice.get(VERSION).json().get("count").asInt()).isZero();
    }

    @Test
    void nullKeysEmptySessionIdsAndNonObjectsAreRejected(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        assertError(
                alice.post(
                        VERSION, NODES.objectNode().put("algorithm", ALGORITHM).putNull("auth_data")),
                400,
                "M_MISSING_PARAM");
        assertError(alice.post(VERSION, "[]"), 400, "M_BAD_JSON");
        alice.post(VERSION, version("k")).expect(200);
        assertError(alice.put(VERSION + "/1", "{"), 400, "M_NOT_JSON");

        ObjectNode nullRoom = NODES.objectNode();
        nullRoom.putObject("rooms").putNull(ROOM);
        assertError(alice.put(KEYS + "?version=1", nullRoom), 400, "M_BAD_JSON");
        ObjectNode nullSession = NODES.objectNode();
        nullSession.putObject("sessions").putNull("s");
        assertError(alice.put(room(ROOM) + "?version=1", nullSession), 400, "M_BAD_JSON");
        ObjectNode emptySessionId = NODES.objectNode();
        emptySessionId.putObject("sessions").set("", key(false, 0, 0, "x"));
        assertError(alice.put(room(ROOM) + "?version=1", emptySessionId), 400, "M_INVALID_PARAM");
        assertError(alice.put(session(ROOM, "s") + "?version=1", "{"), 400, "M_NOT_JSON");
        assertError(alice.put(session(ROOM, "s") + "?version=1", "[]"), 400, "M_BAD_JSON");
        assertError(
                alice.put(
                        session(ROOM, "s") + "?version=1", key(false, 0, 0, "x").putNull("is_verified")),
                400,
                "M_MISSING_PARAM");
        assertError(
                alice.put(
                        session(ROOM, "s") + "?version=1", key(false, 0, 0, "x").put("forwarded_count", -1)),
                400,
                "M_INVALID_PARAM");
        assertThat(alice.get(VERSION).json().get("count").asInt()).isZero();
    }

    private static void assertKept(TestClient client, String path, ObjectNode upload, String kept) {
        String etag = client.get(VERSION).json().get("etag").asText();
        client.put(path, upload).expect(200);
        assertThat(client.get(path).json().at("/session_data/ciphertext").asText())
                .as("after uploading %s", upload)
                .isEqualTo(kept);
        assertThat(client.get(VERSION).json().get("etag").asText())
                .as("a kept key leaves the etag")
                .isEqualTo(etag);
    }

    private static void assertReplaced(TestClient client, String path, ObjectNode upload) {
        String etag = client.get(VERSION).json().get("etag").asText();
        assertThat(client.put(path, upload).expect(200).json().get("etag").asText())
                .isNotEqualTo(etag);
        assertThat(client.get(path).json()).as("after uploading %s", upload).isEqualTo(upload);
    }

    private static ObjectNode uploadFor(String path) {
        if (path.equals(KEYS)) {
            ObjectNode body = NODES.objectNode();
            body.putObject("rooms").putObject(ROOM).putObject("sessions").set("s", key(true, 0, 0, "y"));
            return body;
        }
        if (path.equals(room(ROOM))) {
            ObjectNode body = NODES.objectNode();
            body.putObject("sessions").set("s", key(true, 0, 0, "y"));
            return body;
        }
        return key(true, 0, 0, "y");
    }

    private static ObjectNode version(String publicKey) {
        ObjectNode body = NODES.objectNode().put("algorithm", ALGORITHM);
        body.putObject("auth_data").put("public_key", publicKey);
        return body;
    }

    private static ObjectNode key(boolean verified, int firstMessageIndex, int forwardedCount, String ciphertext) {
        ObjectNode key = NODES.objectNode()
                .put("first_message_index", firstMessageIndex)
                .put("forwarded_count", forwardedCount)
                .put("is_verified", verified);
        key.putObject("session_data").put("ciphertext", ciphertext);
        return key;
    }

    private static String room(String room) {
        return KEYS + "/" + TestClient.encode(room);
    }

    private static String session(String room, String session) {
        return room(room) + "/" + TestClient.encode(session);
    }
}
