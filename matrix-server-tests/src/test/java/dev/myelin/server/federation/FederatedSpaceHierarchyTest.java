package dev.myelin.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestFederation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A space on one server whose children are on another: the client {@code /hierarchy} asks the
 * other server over federation for the rooms it is not in, keeps the answers a while, and passes
 * over a server that cannot be reached, does not answer in time or answers with garbage.
 */
class FederatedSpaceHierarchyTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String HIERARCHY = "/_matrix/federation/v1/hierarchy/";

    private TestFederation federation;
    private TestClient alice;
    private TestClient bob;
    private String space;
    private String subSpace;
    private String inner;
    private String remoteRoom;
    private String secret;

    @BeforeEach
    void start() {
        federation = TestFederation.start("a.test", "b.test");
        alice = federation.server("a.test").registerUser("alice");
        bob = federation.server("b.test").registerUser("bob");
        space = space(alice, "Space on a");
        subSpace = space(bob, "Space on b");
        inner = bob.createRoom(NODES.objectNode().put("preset", "public_chat").put("name", "Inner"));
        remoteRoom =
                bob.createRoom(NODES.objectNode().put("preset", "public_chat").put("name", "Remote"));
        secret = bob.createRoom(NODES.objectNode().put("preset", "private_chat").put("name", "Secret"));
        link(bob, subSpace, inner, null);
        link(alice, space, subSpace, "a");
        link(alice, space, remoteRoom, "b");
        link(alice, space, secret, "c");
    }

    @AfterEach
    void stop() {
        federation.close();
    }

    private static String space(TestClient creator, String name) {
        ObjectNode body = NODES.objectNode().put("preset", "public_chat").put("name", name);
        body.putObject("creation_content").put("type", "m.space");
        return creator.createRoom(body);
    }

    private static void link(TestClient sender, String parent, String child, String order) {
        ObjectNode content = NODES.objectNode();
        content.putArray("via").add("b.test");
        if (order != null) {
            content.put("order", order);
        }
        sender.sendState(parent, "m.space.child", child, content);
    }

    private JsonNode hierarchy() {
        return alice.get("/_matrix/client/v1/rooms/" + TestClient.encode(space) + "/hierarchy")
                .expect(200)
                .json();
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("rooms").forEach(r -> ids.add(r.path("room_id").asText()));
        return ids;
    }

    private List<String> askedAbout() {
        return federation.link("a.test", "b.test").delivered().stream()
                .map(r -> r.uri().getRawPath())
                .filter(p -> p.startsWith(HIERARCHY))
                .map(p -> java.net.URLDecoder.decode(p.substring(HIERARCHY.length()), StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void childrenOnAnotherServerAreAskedOfItAndItsAnswersKeptAWhile() {
        JsonNode page = hierarchy();

        // the inner room comes with the sub-space's answer; the secret room is not for a.test's users
        assertThat(ids(page)).containsExactly(space, subSpace, inner, remoteRoom);
        JsonNode sub = page.path("rooms").get(1);
        assertThat(sub.path("name").asText()).isEqualTo("Space on b");
        assertThat(sub.path("room_type").asText()).isEqualTo("m.space");
        assertThat(sub.path("num_joined_members").asLong()).isEqualTo(1);
        assertThat(sub.path("children_state")).hasSize(1);
        assertThat(sub.path("children_state").get(0).path("state_key").asText()).isEqualTo(inner);
        assertThat(page.path("rooms").get(2).path("name").asText()).isEqualTo("Inner");
        assertThat(page.path("rooms").get(3).path("join_rule").asText()).isEqualTo("public");
        assertThat(askedAbout()).containsExactly(subSpace, remoteRoom, secret);

        // answers are kept: asked again, only the room b.test refused is asked about again
        assertThat(ids(hierarchy())).containsExactly(space, subSpace, inner, remoteRoom);
        assertThat(askedAbout()).containsExactly(subSpace, remoteRoom, secret, secret);

        federation.clock().advance(Duration.ofMinutes(6));
        assertThat(ids(hierarchy())).containsExactly(space, subSpace, inner, remoteRoom);
        assertThat(askedAbout()).hasSize(7).endsWith(subSpace, remoteRoom, secret);
    }

    @Test
    void aUserOfTheServerInvitedToARemoteRoomSeesIt() {
        bob.invite(secret, alice.userId()).expect(200);

        assertThat(ids(hierarchy())).containsExactly(space, subSpace, inner, remoteRoom, secret);
    }

    @Test
    void aServerAnsweringGarbageIsPassedOver() {
        federation.link("a.test", "b.test").answerWith(request -> {
            String path = request.uri().getRawPath();
            if (!path.startsWith(HIERARCHY)) {
                return Optional.empty();
            }
            String body = path.contains(TestClient.encode(subSpace))
                    ? "{\"room\": {\"room_id\": 5}, \"children\": [], \"inaccessible_children\": []}"
                    : path.contains(TestClient.encode(remoteRoom))
                            ? "{\"room\": {\"room_id\": \"!other:b.test\", \"num_joined_members\": 1,"
                                    + " \"world_readable\": true, \"guest_can_join\": false}, \"children\": [],"
                                    + " \"inaccessible_children\": []}"
                            : "not json at all";
            return Optional.of(new OutboundResponse(
                    200, Map.of("content-type", List.of("application/json")), body.getBytes(StandardCharsets.UTF_8)));
        });

        assertThat(ids(hierarchy())).containsExactly(space);
    }

    @Test
    void theMalformedPartsOfAnAnswerAreDropped() {
        federation.link("a.test", "b.test").answerWith(request -> {
            if (!request.uri().getRawPath().equals(HIERARCHY + TestClient.encode(subSpace))) {
                return Optional.empty();
            }
            ObjectNode answer = NODES.objectNode();
            ObjectNode room = answer.putObject("room")
                    .put("room_id", subSpace)
                    .put("room_type", "m.space")
                    .put("num_joined_members", 1)
                    .put("world_readable", false)
                    .put("guest_can_join", false)
                    .put("join_rule", "public");
            var links = room.putArray("children_state");
            ObjectNode good = links.addObject()
                    .put("type", "m.space.child")
                    .put("state_key", inner)
                    .put("sender", bob.userId())
                    .put("origin_server_ts", 1);
            good.putObject("content").putArray("via").add("b.test");
            links.addObject()
                    .put("type", "m.space.child")
                    .put("state_key", "not a room")
                    .putObject("content")
                    .putArray("via")
                    .add("b.test");
            links.addObject().put("type", "m.space.child").put("state_key", "!novia:b.test");
            answer.putArray("children")
                    .addObject()
                    .put("room_id", "not a room")
                    .put("num_joined_members", 1)
                    .put("world_readable", true)
                    .put("guest_can_join", false);
            answer.putArray("inaccessible_children").add("not a room");
            return Optional.of(new OutboundResponse(
                    200,
                    Map.of("content-type", List.of("application/json")),
                    answer.toString().getBytes(StandardCharsets.UTF_8)));
        });

        JsonNode page = hierarchy();

        assertThat(ids(page)).containsExactly(space, subSpace, inner, remoteRoom);
        assertThat(page.path("rooms").get(1).path("children_state")).hasSize(1);
        // the inner room was not in the answer's children: it was asked about itself
        assertThat(askedAbout()).contains(inner);
    }

    @Test
    void anUnreachableServerIsPassedOver() {
        federation.link("a.test", "b.test").fail();

        JsonNode page = hierarchy();

        assertThat(ids(page)).containsExactly(space);
        assertThat(page.path("rooms").get(0).path("children_state")).hasSize(3);
    }

    @Test
    void aServerThatDoesNotAnswerInTimeIsPassedOver() throws Exception {
        federation.link("a.test", "b.test").drop(Duration.ofMinutes(10));

        CompletableFuture<JsonNode> page = CompletableFuture.supplyAsync(this::hierarchy);
        for (int i = 0; i < 200 && !page.isDone(); i++) {
            federation.clock().advance(Duration.ofSeconds(5));
            Thread.sleep(20);
        }

        assertThat(ids(page.get(10, TimeUnit.SECONDS))).containsExactly(space);
    }

    @Test
    void aRoomOnAnotherServerIsSummarisedThroughItsHierarchy() {
        String summary = "/_matrix/client/v1/room_summary/";
        JsonNode remote = alice.get(summary + TestClient.encode(remoteRoom) + "?via=b.test")
                .expect(200)
                .json();
        assertThat(remote.path("room_id").asText()).isEqualTo(remoteRoom);
        assertThat(remote.path("name").asText()).isEqualTo("Remote");
        assertThat(remote.path("join_rule").asText()).isEqualTo("public");
        assertThat(remote.path("num_joined_members").asLong()).isEqualTo(1);
        // a user with no membership is told "leave", as Synapse tells it
        assertThat(remote.path("membership").asText()).isEqualTo("leave");
        assertThat(remote.has("children_state")).isFalse();
        // the room id names its server, which is asked without a via
        assertThat(alice.get(summary + TestClient.encode(remoteRoom))
                        .expect(200)
                        .json()
                        .path("name")
                        .asText())
                .isEqualTo("Remote");

        // b.test does not summarise its private room for a.test, and a.test answers 404 as for an unknown room
        assertThat(alice.get(summary + TestClient.encode(secret) + "?via=b.test")
                        .status())
                .isEqualTo(404);
        assertThat(alice.get(summary + TestClient.encode("!unknown:b.test") + "?via=b.test")
                        .status())
                .isEqualTo(404);
    }
}
