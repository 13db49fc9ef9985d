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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /_matrix/client/v1/rooms/{roomId}/hierarchy} on one server: the depth-first walk along
 * {@code m.space.child} links, {@code max_depth}, {@code limit} with pagination tokens that are
 * checked, {@code suggested_only}, the summary fields, and the rooms a user may not see.
 */
@ExtendWith(HomeserverExtension.class)
class SpaceHierarchyApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static String space(TestClient creator, String name) {
        ObjectNode body = NODES.objectNode().put("preset", "public_chat").put("name", name);
        body.putObject("creation_content").put("type", "m.space");
        return creator.createRoom(body);
    }

    static String room(TestClient creator, String name, String preset) {
        return creator.createRoom(NODES.objectNode().put("preset", preset).put("name", name));
    }

    static void link(TestClient sender, String space, String child, String order, boolean suggested, String... via) {
        ObjectNode content = NODES.objectNode();
        var servers = content.putArray("via");
        for (String server : via) {
            servers.add(server);
        }
        if (order != null) {
            content.put("order", order);
        }
        if (suggested) {
            content.put("suggested", true);
        }
        sender.sendState(space, "m.space.child", child, content);
    }

    static TestResponse hierarchy(TestClient client, String space, String query) {
        return client.get(
                "/_matrix/client/v1/rooms/" + encode(space) + "/hierarchy" + (query.isEmpty() ? "" : "?" + query));
    }

    static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("rooms").forEach(r -> ids.add(r.path("room_id").asText()));
        return ids;
    }

    static JsonNode entry(JsonNode page, String room) {
        for (JsonNode r : page.path("rooms")) {
            if (r.path("room_id").asText().equals(room)) {
                return r;
            }
        }
        throw new AssertionError(room + " not in " + page);
    }

    private static void expectError(TestResponse response, int status, String errcode) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errcode()).as(response.body()).isEqualTo(errcode);
    }

    /** A space with a room and a sub-space, itself with a room; the sub-space is ordered first. */
    private record Tree(String space, String sub, String inner, String outer) {}

    private static Tree tree(TestClient alice) {
        String space = space(alice, "Top");
        String sub = space(alice, "Sub");
        String inner = room(alice, "Inner", "public_chat");
        String outer = room(alice, "Outer", "public_chat");
        link(alice, space, outer, "b", false, "test.local");
        link(alice, space, sub, "a", true, "test.local");
        link(alice, sub, inner, null, false, "test.local");
        return new Tree(space, sub, inner, outer);
    }

    @Test
    void nestedSpacesAreWalkedDepthFirstInTheirOrder(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        Tree t = tree(alice);
        alice.sendState(t.outer(), "m.room.topic", "", NODES.objectNode().put("topic", "Outside"));
        alice.sendState(
                t.outer(), "m.room.encryption", "", NODES.objectNode().put("algorithm", "m.megolm.v1.aes-sha2"));

        JsonNode page = hierarchy(alice, t.space(), "").expect(200).json();

        assertThat(ids(page)).containsExactly(t.space(), t.sub(), t.inner(), t.outer());
        assertThat(page.has("next_batch")).isFalse();
        JsonNode top = entry(page, t.space());
        assertThat(top.path("room_type").asText()).isEqualTo("m.space");
        assertThat(top.path("name").asText()).isEqualTo("Top");
        assertThat(top.path("num_joined_members").asLong()).isEqualTo(1);
        assertThat(top.path("join_rule").asText()).isEqualTo("public");
        assertThat(top.path("world_readable").asBoolean()).isFalse();
        assertThat(top.path("guest_can_join").asBoolean()).isFalse();
        assertThat(top.path("room_version").isTextual()).isTrue();
        // children_state: stripped m.space.child events with their origin_server_ts, in link order
        JsonNode children = top.path("children_state");
        assertThat(children).hasSize(2);
        JsonNode first = children.get(0);
        assertThat(first.path("type").asText()).isEqualTo("m.space.child");
        assertThat(first.path("state_key").asText()).isEqualTo(t.sub());
        assertThat(first.path("sender").asText()).isEqualTo(alice.userId());
        assertThat(first.path("origin_server_ts").isIntegralNumber()).isTrue();
        assertThat(first.path("content").path("via").get(0).asText()).isEqualTo("test.local");
        assertThat(first.has("event_id")).isFalse();
        assertThat(children.get(1).path("state_key").asText()).isEqualTo(t.outer());
        JsonNode outer = entry(page, t.outer());
        assertThat(outer.has("room_type")).isFalse();
        assertThat(outer.path("topic").asText()).isEqualTo("Outside");
        assertThat(outer.path("encryption").asText()).isEqualTo("m.megolm.v1.aes-sha2");
        assertThat(outer.path("children_state")).isEmpty();
        assertThat(outer.has("allowed_room_ids")).isFalse();
    }

    @Test
    void maxDepthStopsTheWalkAndDropsTheChildrenOfTheDeepestSpaces(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        Tree t = tree(alice);

        JsonNode one = hierarchy(alice, t.space(), "max_depth=1").expect(200).json();
        assertThat(ids(one)).containsExactly(t.space(), t.sub(), t.outer());
        assertThat(entry(one, t.sub()).path("children_state")).isEmpty();
        assertThat(entry(one, t.space()).path("children_state")).hasSize(2);

        JsonNode zero = hierarchy(alice, t.space(), "max_depth=0").expect(200).json();
        assertThat(ids(zero)).containsExactly(t.space());
        assertThat(entry(zero, t.space()).path("children_state")).isEmpty();

        assertThat(ids(hierarchy(alice, t.space(), "max_depth=99999999999999")
                        .expect(200)
                        .json()))
                .containsExactly(t.space(), t.sub(), t.inner(), t.outer());
    }

    @Test
    void limitPagesThroughTheTreeWithTokensBoundToTheRequest(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        Tree t = tree(alice);

        JsonNode first = hierarchy(alice, t.space(), "limit=2").expect(200).json();
        assertThat(ids(first)).containsExactly(t.space(), t.sub());
        String token = first.path("next_batch").asText();
        assertThat(token).isNotEmpty();

        JsonNode second = hierarchy(alice, t.space(), "limit=2&from=" + encode(token))
                .expect(200)
                .json();
        assertThat(ids(second)).containsExactly(t.inner(), t.outer());
        assertThat(second.has("next_batch")).isFalse();
        // the same token again gives the same page
        assertThat(ids(hierarchy(alice, t.space(), "limit=2&from=" + encode(token))
                        .expect(200)
                        .json()))
                .containsExactly(t.inner(), t.outer());
        JsonNode oneByOne = hierarchy(alice, t.space(), "limit=1&from=" + encode(token))
                .expect(200)
                .json();
        assertThat(ids(oneByOne)).containsExactly(t.inner());

        expectError(hierarchy(alice, t.space(), "from=nonsense"), 400, "M_INVALID_PARAM");
        expectError(hierarchy(alice, t.space(), "max_depth=1&from=" + encode(token)), 400, "M_INVALID_PARAM");
        expectError(hierarchy(alice, t.space(), "suggested_only=true&from=" + encode(token)), 400, "M_INVALID_PARAM");
        expectError(hierarchy(alice, t.sub(), "from=" + encode(token)), 400, "M_INVALID_PARAM");
        bob.join(t.space()).expect(200);
        expectError(hierarchy(bob, t.space(), "from=" + encode(token)), 400, "M_INVALID_PARAM");
    }

    @Test
    void tokensExpire(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        Tree t = tree(alice);
        String token = hierarchy(alice, t.space(), "limit=1")
                .expect(200)
                .json()
                .path("next_batch")
                .asText();

        hs.clock().advance(java.time.Duration.ofMinutes(6));

        expectError(hierarchy(alice, t.space(), "from=" + encode(token)), 400, "M_INVALID_PARAM");
    }

    @Test
    void suggestedOnlyFollowsOnlySuggestedLinks(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        Tree t = tree(alice);

        JsonNode page =
                hierarchy(alice, t.space(), "suggested_only=true").expect(200).json();

        // the sub-space is suggested, its room is not
        assertThat(ids(page)).containsExactly(t.space(), t.sub());
        assertThat(entry(page, t.space()).path("children_state")).hasSize(1);
        assertThat(entry(page, t.sub()).path("children_state")).isEmpty();
    }

    @Test
    void aRoomLinkedTwiceAppearsOnceAndLinksWithoutViaAreIgnored(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        Tree t = tree(alice);
        link(alice, t.sub(), t.outer(), null, false, "test.local");
        link(alice, t.sub(), t.space(), null, false, "test.local");
        String removed = room(alice, "Removed", "public_chat");
        link(alice, t.space(), removed, null, false);
        String badVia = room(alice, "Bad via", "public_chat");
        ObjectNode numbers = NODES.objectNode();
        numbers.putArray("via").add("test.local").add(5);
        alice.sendState(t.space(), "m.space.child", badVia, numbers);
        String notAList = room(alice, "Not a list", "public_chat");
        alice.sendState(t.space(), "m.space.child", notAList, NODES.objectNode().put("via", "test.local"));

        JsonNode page = hierarchy(alice, t.space(), "").expect(200).json();

        // the sub-space's links have no order and the same age: they go by room id
        assertThat(ids(page)).hasSize(4).startsWith(t.space(), t.sub());
        assertThat(ids(page)).containsExactlyInAnyOrder(t.space(), t.sub(), t.inner(), t.outer());
        assertThat(entry(page, t.space()).path("children_state")).hasSize(2);
        assertThat(entry(page, t.sub()).path("children_state")).hasSize(3);
    }

    @Test
    void roomsTheUserMayNotSeeAreLeftOut(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String space = space(alice, "Top");
        String secret = room(alice, "Secret", "private_chat");
        String readable = room(alice, "Readable", "private_chat");
        alice.sendState(
                readable,
                "m.room.history_visibility",
                "",
                NODES.objectNode().put("history_visibility", "world_readable"));
        String members = room(alice, "Members of the space", "private_chat");
        ObjectNode restricted = NODES.objectNode().put("join_rule", "restricted");
        restricted
                .putArray("allow")
                .addObject()
                .put("type", "m.room_membership")
                .put("room_id", space);
        alice.sendState(members, "m.room.join_rules", "", restricted);
        String invited = room(alice, "Invited", "private_chat");
        alice.invite(invited, bob.userId()).expect(200);
        for (String child : List.of(secret, readable, members, invited)) {
            link(alice, space, child, null, false, "test.local");
        }

        // bob is not in the space: only what anyone may see
        JsonNode outside = hierarchy(bob, space, "").expect(200).json();
        assertThat(ids(outside)).containsExactlyInAnyOrder(space, readable, invited);
        assertThat(entry(outside, readable).path("world_readable").asBoolean()).isTrue();

        bob.join(space).expect(200);
        JsonNode inside = hierarchy(bob, space, "").expect(200).json();
        assertThat(ids(inside)).containsExactlyInAnyOrder(space, readable, members, invited);
        JsonNode allowed = entry(inside, members);
        assertThat(allowed.path("join_rule").asText()).isEqualTo("restricted");
        assertThat(allowed.path("allowed_room_ids")).hasSize(1);
        assertThat(allowed.path("allowed_room_ids").get(0).asText()).isEqualTo(space);

        // alice is in every room
        assertThat(ids(hierarchy(alice, space, "").expect(200).json()))
                .containsExactlyInAnyOrder(space, secret, readable, members, invited);
    }

    @Test
    void aSpaceTheUserMayNotSeeOrThatDoesNotExistIsForbidden(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String secret = alice.createRoom(NODES.objectNode().put("preset", "private_chat"));

        expectError(hierarchy(bob, secret, ""), 403, "M_FORBIDDEN");
        expectError(hierarchy(bob, "!unknown:test.local", ""), 403, "M_FORBIDDEN");
        expectError(hierarchy(bob, "not-a-room", ""), 400, "M_INVALID_PARAM");
        expectError(
                hs.anonymous().get("/_matrix/client/v1/rooms/" + encode(secret) + "/hierarchy"),
                401,
                "M_MISSING_TOKEN");
        // a room that is no space is its own hierarchy
        JsonNode alone = hierarchy(alice, secret, "").expect(200).json();
        assertThat(ids(alone)).containsExactly(secret);
        assertThat(entry(alone, secret).path("children_state")).isEmpty();
    }

    @Test
    void badParametersAreInvalid(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        Tree t = tree(alice);

        for (String query : List.of(
                "limit=0",
                "limit=-1",
                "limit=-99999999999999999999",
                "limit=ten",
                "limit=",
                "limit=1.5",
                "max_depth=-1",
                "max_depth=deep",
                "suggested_only=yes")) {
            expectError(hierarchy(alice, t.space(), query), 400, "M_INVALID_PARAM");
        }
        // a huge limit is capped, not refused
        assertThat(ids(hierarchy(alice, t.space(), "limit=99999999999999999999")
                        .expect(200)
                        .json()))
                .hasSize(4);
    }
}
