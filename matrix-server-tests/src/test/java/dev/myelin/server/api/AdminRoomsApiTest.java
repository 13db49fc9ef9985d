package dev.myelin.server.api;

import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Synapse's room admin API as synadm calls it: the room list, one room's details, members, state and timeline. */
@ExtendWith(HomeserverExtension.class)
class AdminRoomsApiTest {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String ROOMS = "/_synapse/admin/v1/rooms";

    static JsonNode asAdmin(TestHomeserver hs, String token, String path, int status) {
        return hs.request("GET", path, null, token).expect(status).json();
    }

    static List<String> roomIds(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("rooms").forEach(r -> out.add(r.path("room_id").asText()));
        return out;
    }

    private static String namedRoom(TestClient creator, String name, String alias, boolean isPublic) {
        ObjectNode body = NODES.objectNode().put("name", name).put("room_alias_name", alias);
        if (isPublic) {
            body.put("preset", "public_chat").put("visibility", "public");
        }
        return creator.createRoom(body);
    }

    @Test
    void adminsListSortSearchAndPageTheRooms(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String banana = namedRoom(alice, "Banana", "banana", true);
        String apple = namedRoom(alice, "apple", "apple", false);
        String cherry = namedRoom(bob, "Cherry", "cherry", false);
        bob.join(banana).expect(200);

        JsonNode all = asAdmin(hs, admin, ROOMS, 200);
        assertThat(all.path("total_rooms").asLong()).isEqualTo(3);
        assertThat(all.path("offset").asLong()).isZero();
        assertThat(all.has("next_batch")).isFalse();
        assertThat(all.has("prev_batch")).isFalse();
        // names sort by code point, as Synapse's database does
        assertThat(roomIds(all)).containsExactly(banana, cherry, apple);
        JsonNode first = all.path("rooms").get(0);
        ObjectNode expected = NODES.objectNode()
                .put("room_id", banana)
                .put("name", "Banana")
                .put("canonical_alias", "#banana:" + hs.serverName())
                .put("joined_members", 2)
                .put("joined_local_members", 2)
                .put("version", first.path("version").asText())
                .put("creator", alice.userId())
                .putNull("encryption")
                .put("federatable", true)
                .put("public", true)
                .put("join_rules", "public")
                .putNull("guest_access")
                .put("history_visibility", "shared")
                .put("state_events", first.path("state_events").asInt())
                .putNull("room_type");
        assertThat(first).isEqualTo(expected);
        assertThat(first.path("state_events").asLong()).isGreaterThanOrEqualTo(7);

        assertThat(roomIds(asAdmin(hs, admin, ROOMS + "?dir=b", 200))).containsExactly(apple, cherry, banana);
        assertThat(roomIds(asAdmin(hs, admin, ROOMS + "?order_by=joined_members", 200))
                        .getFirst())
                .isEqualTo(banana);
        assertThat(roomIds(asAdmin(hs, admin, ROOMS + "?order_by=canonical_alias", 200)))
                .containsExactly(apple, banana, cherry);
        assertThat(roomIds(asAdmin(hs, admin, ROOMS + "?search_term=CHER", 200)))
                .containsExactly(cherry);
        assertThat(roomIds(asAdmin(hs, admin, ROOMS + "?search_term=" + encode(apple), 200)))
                .containsExactly(apple);

        JsonNode page = asAdmin(hs, admin, ROOMS + "?limit=1&from=1", 200);
        assertThat(roomIds(page)).containsExactly(cherry);
        assertThat(page.path("offset").asLong()).isEqualTo(1);
        assertThat(page.path("total_rooms").asLong()).isEqualTo(3);
        assertThat(page.path("next_batch").asLong()).isEqualTo(2);
        assertThat(page.path("prev_batch").asLong()).isZero();
        for (String order : List.of(
                "name",
                "canonical_alias",
                "joined_members",
                "joined_local_members",
                "version",
                "creator",
                "encryption",
                "federatable",
                "public",
                "join_rules",
                "guest_access",
                "history_visibility",
                "state_events")) {
            assertThat(asAdmin(hs, admin, ROOMS + "?order_by=" + order, 200)
                            .path("rooms")
                            .size())
                    .as(order)
                    .isEqualTo(3);
        }
    }

    @Test
    void adminsReadOneRoomItsMembersStateAndMessagesWithoutBeingInIt(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        String room = namedRoom(alice, "Garden", "garden", false);
        alice.sendState(room, "m.room.topic", "", NODES.objectNode().put("topic", "plants"));
        for (int i = 0; i < 5; i++) {
            alice.sendMessage(room, "m" + i);
        }

        JsonNode details = asAdmin(hs, admin, ROOMS + "/" + encode(room), 200);
        assertThat(details.path("room_id").asText()).isEqualTo(room);
        assertThat(details.path("name").asText()).isEqualTo("Garden");
        assertThat(details.path("topic").asText()).isEqualTo("plants");
        assertThat(details.path("avatar").isNull()).isTrue();
        assertThat(details.path("joined_local_devices").asLong()).isEqualTo(1);
        assertThat(details.path("forgotten").asBoolean()).isFalse();
        assertThat(details.path("public").asBoolean()).isFalse();
        assertThat(details.path("join_rules").asText()).isEqualTo("invite");

        JsonNode members = asAdmin(hs, admin, ROOMS + "/" + encode(room) + "/members", 200);
        assertThat(members)
                .isEqualTo(NODES.objectNode()
                        .put("total", 1)
                        .set("members", NODES.arrayNode().add(alice.userId())));

        JsonNode state = asAdmin(hs, admin, ROOMS + "/" + encode(room) + "/state", 200);
        List<String> types = new ArrayList<>();
        state.path("state").forEach(e -> types.add(e.path("type").asText()));
        assertThat(types).contains("m.room.create", "m.room.member", "m.room.name", "m.room.topic");

        JsonNode latest = asAdmin(hs, admin, ROOMS + "/" + encode(room) + "/messages?limit=3", 200);
        List<String> bodies = new ArrayList<>();
        latest.path("chunk")
                .forEach(e -> bodies.add(e.path("content").path("body").asText()));
        assertThat(bodies).containsExactly("m4", "m3", "m2");
        JsonNode older = asAdmin(
                hs,
                admin,
                ROOMS + "/" + encode(room) + "/messages?limit=2&from="
                        + encode(latest.path("end").asText()),
                200);
        assertThat(older.path("chunk").get(0).path("content").path("body").asText())
                .isEqualTo("m1");
        JsonNode filtered = asAdmin(
                hs,
                admin,
                ROOMS + "/" + encode(room) + "/messages?dir=f&limit=50&filter="
                        + encode("{\"types\":[\"m.room.topic\"]}"),
                200);
        assertThat(filtered.path("chunk").size()).isEqualTo(1);
        assertThat(filtered.has("end")).isFalse();
    }

    @Test
    void othersUnknownRoomsAndBadInputAreRefused(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(null);
        for (String path : List.of(
                ROOMS,
                ROOMS + "/" + encode(room),
                ROOMS + "/" + encode(room) + "/members",
                ROOMS + "/" + encode(room) + "/state",
                ROOMS + "/" + encode(room) + "/messages")) {
            assertThat(alice.get(path).expect(403).errcode()).as(path).isEqualTo("M_FORBIDDEN");
            assertThat(hs.anonymous().get(path).expect(401).errcode()).as(path).isEqualTo("M_MISSING_TOKEN");
        }
        String unknown = encode("!nothing:" + hs.serverName());
        for (String tail : List.of("", "/members", "/state", "/messages")) {
            assertThat(asAdmin(hs, admin, ROOMS + "/" + unknown + tail, 404)
                            .path("errcode")
                            .asText())
                    .as(tail)
                    .isEqualTo("M_NOT_FOUND");
        }
        assertThat(asAdmin(hs, admin, ROOMS + "/not-a-room", 400)
                        .path("errcode")
                        .asText())
                .isEqualTo("M_INVALID_PARAM");
        for (String query : List.of("order_by=size", "dir=up", "from=-1", "limit=many", "from=x")) {
            assertThat(asAdmin(hs, admin, ROOMS + "?" + query, 400)
                            .path("errcode")
                            .asText())
                    .as(query)
                    .isEqualTo("M_INVALID_PARAM");
        }
        assertThat(asAdmin(hs, admin, ROOMS + "/" + encode(room) + "/messages?dir=sideways", 400)
                        .path("errcode")
                        .asText())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(asAdmin(hs, admin, ROOMS + "/" + encode(room) + "/messages?from=garbage", 400)
                        .path("errcode")
                        .asText())
                .isEqualTo("M_INVALID_PARAM");
    }

    @Test
    void aBlockedRoomCannotBeJoinedHereNorOverFederation(TestHomeserver hs) {
        String admin = WhoisApiTest.registerAdmin(hs);
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String block = ROOMS + "/" + encode(room) + "/block";
        assertThat(asAdmin(hs, admin, block, 200)).isEqualTo(NODES.objectNode().put("block", false));

        assertThat(hs.request("PUT", block, NODES.objectNode().put("block", true), admin)
                        .expect(200)
                        .json())
                .isEqualTo(NODES.objectNode().put("block", true));
        assertThat(asAdmin(hs, admin, block, 200))
                .isEqualTo(NODES.objectNode().put("block", true).put("user_id", "@admin:" + hs.serverName()));
        var refused = bob.join(room).expect(403);
        assertThat(refused.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(refused.json().path("error").asText()).isEqualTo("This room has been blocked on this server");
        // a room of another server: refused before any federation request
        String remote = "!elsewhere:remote.example";
        hs.request(
                        "PUT",
                        ROOMS + "/" + encode(remote) + "/block",
                        NODES.objectNode().put("block", true),
                        admin)
                .expect(200);
        assertThat(bob.join(remote).expect(403).errcode()).isEqualTo("M_FORBIDDEN");

        hs.request("PUT", block, NODES.objectNode().put("block", false), admin).expect(200);
        assertThat(asAdmin(hs, admin, block, 200)).isEqualTo(NODES.objectNode().put("block", false));
        bob.join(room).expect(200);

        assertThat(bob.put(block, NODES.objectNode().put("block", true))
                        .expect(403)
                        .errcode())
                .isEqualTo("M_FORBIDDEN");
        assertThat(bob.get(block).expect(403).errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(hs.request("PUT", block, NODES.objectNode(), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_MISSING_PARAM");
        assertThat(hs.request("PUT", block, NODES.objectNode().put("block", "yes"), admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_BAD_JSON");
        assertThat(hs.request(
                                "PUT",
                                ROOMS + "/not-a-room/block",
                                NODES.objectNode().put("block", true),
                                admin)
                        .expect(400)
                        .errcode())
                .isEqualTo("M_INVALID_PARAM");
    }
}
