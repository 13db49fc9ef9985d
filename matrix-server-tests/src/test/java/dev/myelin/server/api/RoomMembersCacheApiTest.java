package dev.myelin.server.api;

import static dev.myelin.testing.TestClient.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.testing.HomeserverExtension;
import dev.myelin.testing.TestClient;
import dev.myelin.testing.TestHomeserver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /members}, {@code /joined_members} and {@code /state} answer from the room's current state held
 * in memory: every join, leave and state change shows on the next read, also while others join at the
 * same time, and member events still carry what they replaced.
 */
@ExtendWith(HomeserverExtension.class)
class RoomMembersCacheApiTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String V3 = "/_matrix/client/v3";

    private static String rooms(String room) {
        return V3 + "/rooms/" + encode(room);
    }

    @Test
    void concurrentJoinsAndLeavesShowOnTheNextReadOfEveryView(TestHomeserver hs) throws Exception {
        TestClient alice = hs.registerUser("alice");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        List<TestClient> users = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            users.add(hs.registerUser("user" + i));
        }
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        try (var pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < users.size(); i++) {
                TestClient user = users.get(i);
                boolean leaves = i % 3 == 0;
                tasks.add(pool.submit(() -> {
                    user.join(room).expect(200);
                    // the join has been answered: whoever reads now must see it
                    if (!joined(alice, room).contains(user.userId())) {
                        failures.add(user.userId() + " missing from /joined_members after joining");
                    }
                    if (leaves) {
                        user.leave(room).expect(200);
                        if (!membersWith(alice, room, "?membership=leave").contains(user.userId())) {
                            failures.add(user.userId() + " not listed as left after leaving");
                        }
                        if (joined(alice, room).contains(user.userId())) {
                            failures.add(user.userId() + " still joined after leaving");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> task : tasks) {
                task.get(3, TimeUnit.MINUTES);
            }
        }
        assertThat(failures).isEmpty();

        Set<String> expectedJoined = new HashSet<>(Set.of(alice.userId()));
        Set<String> expectedLeft = new HashSet<>();
        for (int i = 0; i < users.size(); i++) {
            (i % 3 == 0 ? expectedLeft : expectedJoined).add(users.get(i).userId());
        }
        assertThat(joined(alice, room)).containsExactlyInAnyOrderElementsOf(expectedJoined);
        assertThat(membersWith(alice, room, "?membership=join")).containsExactlyInAnyOrderElementsOf(expectedJoined);
        assertThat(membersWith(alice, room, "?not_membership=join")).containsExactlyInAnyOrderElementsOf(expectedLeft);
        List<String> stateMembers = new ArrayList<>();
        alice.get(rooms(room) + "/state").expect(200).json().forEach(e -> {
            if (e.get("type").asText().equals("m.room.member")
                    && e.at("/content/membership").asText().equals("join")) {
                stateMembers.add(e.get("state_key").asText());
            }
        });
        assertThat(stateMembers).containsExactlyInAnyOrderElementsOf(expectedJoined);
    }

    @Test
    void aChangedMemberEventCarriesWhatItReplaced(TestHomeserver hs) {
        TestClient alice = hs.registerUser("alice");
        TestClient bob = hs.registerUser("bob");
        String room = alice.createRoom(NODES.objectNode().put("preset", "public_chat"));
        String join = bob.join(room).expect(200).json().get("room_id").asText();
        assertThat(join).isEqualTo(room);
        String firstJoin =
                memberEvent(alice, room, bob.userId()).get("event_id").asText();
        for (int i = 0; i < 30; i++) {
            // enough state changes to fill a delta chain, so the lookup walks chains and snapshots
            alice.sendState(room, "org.example.counter", "", NODES.objectNode().put("n", i));
        }
        bob.sendState(
                room,
                "m.room.member",
                bob.userId(),
                NODES.objectNode().put("membership", "join").put("displayname", "Bobby"));

        JsonNode renamed = memberEvent(alice, room, bob.userId());
        assertThat(renamed.at("/content/displayname").asText()).isEqualTo("Bobby");
        assertThat(renamed.at("/unsigned/replaces_state").asText()).isEqualTo(firstJoin);
        assertThat(renamed.at("/unsigned/prev_content/membership").asText()).isEqualTo("join");
        assertThat(memberEvent(alice, room, alice.userId()).at("/unsigned").has("replaces_state"))
                .as("the creator's first join replaced nothing")
                .isFalse();
        assertThat(alice.get(rooms(room) + "/joined_members")
                        .expect(200)
                        .json()
                        .at("/joined/" + bob.userId().replace("~", "~0").replace("/", "~1") + "/display_name")
                        .asText())
                .isEqualTo("Bobby");
    }

    private static JsonNode memberEvent(TestClient client, String room, String user) {
        for (JsonNode e :
                client.get(rooms(room) + "/members").expect(200).json().get("chunk")) {
            if (e.get("state_key").asText().equals(user)) {
                return e;
            }
        }
        throw new AssertionError("no member event of " + user);
    }

    private static List<String> joined(TestClient client, String room) {
        List<String> out = new ArrayList<>();
        client.get(rooms(room) + "/joined_members")
                .expect(200)
                .json()
                .get("joined")
                .fieldNames()
                .forEachRemaining(out::add);
        return out;
    }

    private static List<String> membersWith(TestClient client, String room, String query) {
        List<String> out = new ArrayList<>();
        client.get(rooms(room) + "/members" + query)
                .expect(200)
                .json()
                .get("chunk")
                .forEach(e -> out.add(e.get("state_key").asText()));
        return out;
    }
}
