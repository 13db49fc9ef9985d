package dev.myelin.server.api;

import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import dev.myelin.testing.TestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HomeserverExtension.class)
class RoomDirectoryApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String V3 = "/_matrix/client/v3";

    private static String alias(String alias) {
        return V3 + "/directory/room/" + encode(alias);
    }

    @Test
    void createsResolvesAndDeletesAliases(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);

        assertThat(alice.put(alias("#home:test.local"), NODES.objectNode().put("room_id", room))
                        .expect(200)
                        .json())
                .isEqualTo(NODES.objectNode());
        ObjectNode expected = NODES.objectNode().put("room_id", room);
        expected.putArray("servers").add("test.local");
        assertThat(hs.anonymous().get(alias("#home:test.local")).expect(200).json())
                .isEqualTo(expected);
        ObjectNode aliases = NODES.objectNode();
        aliases.putArray("aliases").add("#home:test.local");
        assertThat(alice.get(V3 + "/rooms/" + encode(room) + "/aliases")
                        .expect(200)
                        .json())
                .isEqualTo(aliases);

        TestResponse taken =
                alice.put(alias("#home:test.local"), NODES.objectNode().put("room_id", room));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.errcode()).isEqualTo("M_UNKNOWN");

        alice.request("DELETE", alias("#home:test.local"), null).expect(200);
        TestResponse gone = alice.get(alias("#home:test.local"));
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errcode()).isEqualTo("M_NOT_FOUND");
        assertThat(alice.request("DELETE", alias("#home:test.local"), null).status())
                .isEqualTo(404);
    }

    @Test
    void aliasInputIsValidated(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        TestResponse bad = alice.put(alias("home"), NODES.objectNode().put("room_id", room));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errcode()).isEqualTo("M_INVALID_PARAM");
        TestResponse remote =
                alice.put(alias("#home:elsewhere.example"), NODES.objectNode().put("room_id", room));
        assertThat(remote.status()).isEqualTo(400);
        assertThat(remote.errcode()).isEqualTo("M_INVALID_PARAM");
        TestResponse noRoom = alice.put(alias("#home:test.local"), NODES.objectNode());
        assertThat(noRoom.errcode()).isEqualTo("M_MISSING_PARAM");
        TestResponse badRoom =
                alice.put(alias("#home:test.local"), NODES.objectNode().put("room_id", "nope"));
        assertThat(badRoom.errcode()).isEqualTo("M_INVALID_PARAM");
        TestResponse unknownRoom =
                alice.put(alias("#home:test.local"), NODES.objectNode().put("room_id", "!nowhere:test.local"));
        assertThat(unknownRoom.status()).isEqualTo(404);
        TestResponse outsider = hs.registerUser("bob")
                .put(alias("#home:test.local"), NODES.objectNode().put("room_id", room));
        assertThat(outsider.status()).isEqualTo(403);
        assertThat(outsider.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void onlyTheCreatorOrAnAdminDeletesAnAlias(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        TestClient carol = hs.registerUser("carol");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        carol.join(room).expect(200);
        bob.put(alias("#bobs:test.local"), NODES.objectNode().put("room_id", room))
                .expect(200);
        alice.put(alias("#alices:test.local"), NODES.objectNode().put("room_id", room))
                .expect(200);

        TestResponse stranger = carol.request("DELETE", alias("#bobs:test.local"), null);
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(stranger.errcode()).isEqualTo("M_FORBIDDEN");
        TestResponse notAdmin = bob.request("DELETE", alias("#alices:test.local"), null);
        assertThat(notAdmin.status()).isEqualTo(403);
        bob.request("DELETE", alias("#bobs:test.local"), null).expect(200);
        bob.put(alias("#bobs:test.local"), NODES.objectNode().put("room_id", room))
                .expect(200);
        alice.request("DELETE", alias("#bobs:test.local"), null).expect(200);

        TestResponse aliasesOutsider = hs.registerUser("dave").get(V3 + "/rooms/" + encode(room) + "/aliases");
        assertThat(aliasesOutsider.status()).isEqualTo(403);
        assertThat(aliasesOutsider.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void directoryVisibilityNeedsPower(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        bob.join(room).expect(200);
        String path = V3 + "/directory/list/room/" + encode(room);

        assertThat(hs.anonymous().get(path).expect(200).json())
                .isEqualTo(NODES.objectNode().put("visibility", "private"));
        TestResponse weak = bob.put(path, NODES.objectNode().put("visibility", "public"));
        assertThat(weak.status()).isEqualTo(403);
        assertThat(weak.errcode()).isEqualTo("M_FORBIDDEN");
        TestResponse bad = alice.put(path, NODES.objectNode().put("visibility", "everyone"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errcode()).isEqualTo("M_INVALID_PARAM");
        alice.put(path, NODES.objectNode().put("visibility", "public")).expect(200);
        assertThat(bob.get(path).expect(200).json())
                .isEqualTo(NODES.objectNode().put("visibility", "public"));
        TestResponse unknown = alice.get(V3 + "/directory/list/room/" + encode("!nowhere:test.local"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errcode()).isEqualTo("M_NOT_FOUND");
    }

    @Test
    void publicRoomsListsSearchesAndPaginates(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String big = alice.createRoom(NODES.objectNode()
                .put("visibility", "public")
                .put("name", "Big Room")
                .put("topic", "lots of people")
                .put("room_alias_name", "big"));
        bob.join(big).expect(200);
        String small =
                alice.createRoom(NODES.objectNode().put("visibility", "public").put("name", "Small"));
        alice.createRoom(NODES.objectNode().put("name", "Hidden"));
        alice.sendState(
                small, "m.room.history_visibility", "", NODES.objectNode().put("history_visibility", "world_readable"));

        JsonNode all = hs.anonymous().get(V3 + "/publicRooms").expect(200).json();
        ObjectNode bigEntry = NODES.objectNode()
                .put("room_id", big)
                .put("name", "Big Room")
                .put("topic", "lots of people")
                .put("canonical_alias", "#big:test.local")
                .put("num_joined_members", 2)
                .put("world_readable", false)
                .put("guest_can_join", false)
                .put("join_rule", "public");
        ObjectNode smallEntry = NODES.objectNode()
                .put("room_id", small)
                .put("name", "Small")
                .put("num_joined_members", 1)
                .put("world_readable", true)
                .put("guest_can_join", false)
                .put("join_rule", "public");
        ObjectNode expected = NODES.objectNode();
        expected.putArray("chunk").add(bigEntry).add(smallEntry);
        expected.put("total_room_count_estimate", 2);
        assertThat(all).isEqualTo(expected);

        JsonNode first = alice.get(V3 + "/publicRooms?limit=1").expect(200).json();
        assertThat(first.at("/chunk/0/room_id").asText()).isEqualTo(big);
        assertThat(first.has("prev_batch")).isFalse();
        JsonNode second = alice.get(V3 + "/publicRooms?limit=1&since="
                        + first.get("next_batch").asText())
                .expect(200)
                .json();
        assertThat(second.at("/chunk/0/room_id").asText()).isEqualTo(small);
        assertThat(second.has("next_batch")).isFalse();
        assertThat(second.get("prev_batch").asText()).isEqualTo("o0");

        ObjectNode search = NODES.objectNode();
        search.putObject("filter").put("generic_search_term", "PEOPLE");
        JsonNode found = alice.post(V3 + "/publicRooms", search).expect(200).json();
        assertThat(found.get("chunk")).hasSize(1);
        assertThat(found.at("/chunk/0/room_id").asText()).isEqualTo(big);
        search.with("filter").put("generic_search_term", "#big");
        assertThat(alice.post(V3 + "/publicRooms", search).expect(200).json().get("chunk"))
                .hasSize(1);
    }

    @Test
    void publicRoomsRejectsBadInput(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        assertThat(alice.get(V3 + "/publicRooms?limit=x").errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(alice.get(V3 + "/publicRooms?since=garbage").errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(alice.get(V3 + "/publicRooms?server=not%20a%20server").errcode())
                .isEqualTo("M_INVALID_PARAM");
        // another server's directory is asked for over federation; this one reaches no one
        assertThat(alice.get(V3 + "/publicRooms?server=elsewhere.example").status())
                .isEqualTo(502);
        assertThat(alice.post(V3 + "/publicRooms", NODES.objectNode().put("limit", "ten"))
                        .errcode())
                .isEqualTo("M_BAD_JSON");
        assertThat(alice.post(V3 + "/publicRooms", NODES.objectNode().put("filter", 3))
                        .errcode())
                .isEqualTo("M_BAD_JSON");
        TestResponse anonymousSearch = hs.anonymous().post(V3 + "/publicRooms", NODES.objectNode());
        assertThat(anonymousSearch.status()).isEqualTo(401);
        assertThat(anonymousSearch.errcode()).isEqualTo("M_MISSING_TOKEN");
    }

    @Test
    void directoryBodiesAreReadStrictly(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        TestResponse numericRoom =
                alice.put(alias("#home:test.local"), NODES.objectNode().put("room_id", 5));
        assertThat(numericRoom.status()).isEqualTo(400);
        assertThat(numericRoom.errcode()).isEqualTo("M_BAD_JSON");
        assertThat(alice.put(alias("#home:test.local"), "{nope").errcode()).isEqualTo("M_NOT_JSON");
        String list = V3 + "/directory/list/room/" + TestClient.encode(room);
        assertThat(alice.put(list, NODES.objectNode().put("visibility", true)).errcode())
                .isEqualTo("M_BAD_JSON");
        assertThat(alice.put(list, "[]").errcode()).isEqualTo("M_BAD_JSON");
        assertThat(alice.post(V3 + "/publicRooms", NODES.objectNode().put("limit", -1))
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(alice.post(V3 + "/publicRooms", NODES.objectNode().put("limit", 1.5))
                        .errcode())
                .isEqualTo("M_BAD_JSON");
        ObjectNode badTypes = NODES.objectNode();
        badTypes.putObject("filter").putArray("room_types").add(1);
        assertThat(alice.post(V3 + "/publicRooms", badTypes).errcode()).isEqualTo("M_BAD_JSON");
        ObjectNode badTerm = NODES.objectNode();
        badTerm.putObject("filter").put("generic_search_term", 2);
        assertThat(alice.post(V3 + "/publicRooms", badTerm).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(alice.get(V3 + "/publicRooms?limit=-1").errcode()).isEqualTo("M_INVALID_PARAM");
        ObjectNode nullType = NODES.objectNode();
        nullType.putObject("filter").putArray("room_types").addNull();
        assertThat(alice.post(V3 + "/publicRooms", nullType).expect(200).json().has("chunk"))
                .isTrue();
    }
}
