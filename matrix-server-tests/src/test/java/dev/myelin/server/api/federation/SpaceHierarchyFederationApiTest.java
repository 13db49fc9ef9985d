package dev.myelin.server.api.federation;

import static dev.myelin.server.api.federation.RoomReadsFixture.NODES;
import static dev.myelin.server.api.federation.RoomReadsFixture.expectError;
import static dev.myelin.server.api.federation.RoomReadsFixture.remoteJoins;
import static dev.myelin.server.api.federation.RoomReadsFixture.signedGet;
import static dev.myelin.server.api.federation.RoomReadsFixture.trustRemote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.api.FederationEndpoints;
import dev.myelin.federation.api.SpaceHierarchyResponse;
import dev.myelin.federation.api.SpaceRoomSummary;
import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.OverrideConfig;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /_matrix/federation/v1/hierarchy/{roomId}}: a space and its children as the asking
 * server may see them, with the children it may not see named apart, and 404 for a space it may
 * not see or that does not exist.
 */
@ExtendWith(HomeserverExtension.class)
@OverrideConfig(key = "trusted_key_servers", value = "[]")
@OverrideConfig(key = "rc_federation", value = "{sleep_limit: 1000, reject_limit: 1000}")
class SpaceHierarchyFederationApiTest {

    private static String space(TestClient creator, String preset) {
        ObjectNode body = NODES.objectNode().put("preset", preset).put("name", "Space");
        body.putObject("creation_content").put("type", "m.space");
        return creator.createRoom(body);
    }

    private static void link(TestClient alice, String space, String child, boolean suggested) {
        ObjectNode content = NODES.objectNode();
        content.putArray("via").add("test.local");
        if (suggested) {
            content.put("suggested", true);
        }
        alice.sendState(space, "m.space.child", child, content);
    }

    private static String path(String room) {
        return FederationEndpoints.SPACE_HIERARCHY.pathOf(room);
    }

    private static List<String> childIds(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        answer.path("children").forEach(c -> ids.add(c.path("room_id").asText()));
        return ids;
    }

    @Test
    void theSpaceAndTheChildrenTheServerMaySeeAreGivenAndTheOthersNamed(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String space = space(alice, "public_chat");
        String open =
                alice.createRoom(NODES.objectNode().put("preset", "public_chat").put("name", "Open"));
        String secret = alice.createRoom(NODES.objectNode().put("preset", "private_chat"));
        String members = alice.createRoom(NODES.objectNode().put("preset", "private_chat"));
        ObjectNode restricted = NODES.objectNode().put("join_rule", "restricted");
        restricted
                .putArray("allow")
                .addObject()
                .put("type", "m.room_membership")
                .put("room_id", space);
        alice.sendState(members, "m.room.join_rules", "", restricted);
        link(alice, space, open, true);
        link(alice, space, secret, false);
        link(alice, space, members, false);
        link(alice, space, "!elsewhere:other.test", false);

        JsonNode answer = signedGet(hs, path(space)).expect(200).json();

        assertThat(answer.path("room").path("room_id").asText()).isEqualTo(space);
        assertThat(answer.path("room").path("room_type").asText()).isEqualTo("m.space");
        assertThat(answer.path("room").path("children_state")).hasSize(4);
        assertThat(childIds(answer)).containsExactly(open);
        assertThat(answer.path("children").get(0).path("name").asText()).isEqualTo("Open");
        List<String> inaccessible = new ArrayList<>();
        answer.path("inaccessible_children").forEach(r -> inaccessible.add(r.asText()));
        // a room this server is not in is neither: it has nothing to say of it
        assertThat(inaccessible).containsExactlyInAnyOrder(secret, members);

        // once one of its users is in the space, the server may see the rooms it allows
        remoteJoins(hs, space);
        JsonNode joined = signedGet(hs, path(space)).expect(200).json();
        assertThat(childIds(joined)).containsExactlyInAnyOrder(open, members);
        JsonNode allowed = joined.path("children").get(childIds(joined).indexOf(members));
        assertThat(allowed.path("allowed_room_ids").get(0).asText()).isEqualTo(space);

        // suggested_only, through the typed definition other servers send with
        SpaceHierarchyResponse suggested = RoomReadsFixture.client(hs)
                .send(
                        RoomReadsFixture.local(hs),
                        EndpointCall.of(FederationEndpoints.SPACE_HIERARCHY, space)
                                .query("suggested_only", true));
        assertThat(suggested.room().childrenState()).hasSize(1);
        assertThat(suggested.children()).extracting(SpaceRoomSummary::roomId).containsExactly(open);
        assertThat(suggested.inaccessibleChildren()).isEmpty();
    }

    @Test
    void aSpaceTheServerMayNotSeeOrDoesNotExistIsNotFound(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String secret = space(alice, "private_chat");

        expectError(signedGet(hs, path(secret)), 404, "M_NOT_FOUND");
        expectError(signedGet(hs, path("!unknown:test.local")), 404, "M_NOT_FOUND");
        expectError(signedGet(hs, path("not-a-room")), 404, "M_NOT_FOUND");
        expectError(signedGet(hs, path(secret) + "?suggested_only=maybe"), 400, "M_INVALID_PARAM");
        expectError(hs.anonymous().get(path(secret)), 401, "M_UNAUTHORIZED");

        // the remote server's user joins while the space is open; it stays visible once closed again
        alice.sendState(secret, "m.room.join_rules", "", NODES.objectNode().put("join_rule", "public"));
        remoteJoins(hs, secret);
        alice.sendState(secret, "m.room.join_rules", "", NODES.objectNode().put("join_rule", "invite"));
        assertThat(signedGet(hs, path(secret))
                        .expect(200)
                        .json()
                        .path("room")
                        .path("room_id")
                        .asText())
                .isEqualTo(secret);
    }

    @Test
    void aServerTheRoomsAclDeniesMayNotSeeIt(TestHomeserver hs) {
        trustRemote(hs);
        TestClient alice = hs.registerUser("alice");
        String space = space(alice, "public_chat");
        ObjectNode acl = NODES.objectNode().put("allow_ip_literals", false);
        acl.putArray("allow").add("*");
        alice.sendState(space, "m.room.server_acl", "", acl);

        expectError(signedGet(hs, path(space)), 404, "M_NOT_FOUND");
    }
}
